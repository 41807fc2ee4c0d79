"""Run the CLI in-process (typer's CliRunner): what a user types, what they read."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from budget_etl.cli import app


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke
