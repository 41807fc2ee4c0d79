"""A real Postgres cluster for the deployment profile's tests (tests/deploy/postgres.py).

Skipped only where the server binaries are missing and cannot be installed (not root, or no
apt-get); on a root machine with apt-get (CI: .ci/run installs postgresql) missing binaries fail.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.deploy.postgres import Cluster, postgres_cluster, server_bindir


@pytest.fixture(scope="module")
def postgres() -> Cluster:
    bindir = server_bindir()
    if bindir is None:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            pytest.fail(
                "the PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin): "
                "apt-get install postgresql (.ci/run installs it)"
            )
        pytest.skip(
            "needs the PostgreSQL server binaries (Debian: apt-get install postgresql); not root, cannot install"
        )
    with postgres_cluster(bindir) as cluster:
        yield cluster
