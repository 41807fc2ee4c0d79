"""The one message catalogue of what people read (texts in ``budget_etl.messages``): the HTML report and the CLI summary and status, in Chinese or English.

The readers of this data (journalists, finance staff) read Chinese, so Chinese is the default;
English on request: ``--lang en`` on the commands that print or render, or ``BUDGET_LANG=en`` for
every command (the refresh, the nightly run). Every user-visible label of those outputs is a key
here with both texts, so a label cannot exist in one language only (tests/budget_etl/test_i18n.py).
Error messages stay as the error types write them; data (names, reasons) is shown as published.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from budget_etl.messages.cli import CLI_MESSAGES
from budget_etl.messages.report import REPORT_MESSAGES
from contract.errors import UserFacingError
from publishing.office_export import DBT_MANIFEST, column_labels

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANG_ENV = "BUDGET_LANG"
HTML_LANG = {"zh": "zh-CN", "en": "en"}

_chosen: ContextVar[str | None] = ContextVar("budget_language", default=None)


class UnknownLanguage(UserFacingError):
    """A language the catalogue does not have."""


def checked(lang: str) -> str:
    value = lang.strip().lower()
    if value not in LANGUAGES:
        raise UnknownLanguage(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)} (--lang or {LANG_ENV})")
    return value


@contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Within the block, output is in lang (the --lang given), else BUDGET_LANG, else Chinese; the language
    before the block is restored after it. Raises UnknownLanguage before the block for an unknown one."""
    token = _chosen.set(checked(lang) if lang else None)
    try:
        yield language()
    finally:
        _chosen.reset(token)


def language() -> str:
    chosen = _chosen.get()
    if chosen:
        return chosen
    from_env = os.environ.get(LANG_ENV, "").strip()
    return checked(from_env) if from_env else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """The text of key in the current language, with {placeholders} filled from values."""
    return CATALOGUE[key][language()].format(**values)


def column_header(name: str, table: str | None = None) -> str:
    """A warehouse column as a table heading: its Chinese label (meta.label_zh of the dbt YAML, the same the
    .xlsx and .csv export use) in Chinese, its name in English. ``table``: the published table the column is
    read from, whose label wins (one name, e.g. total_amount, is labelled differently in different marts)."""
    if language() != "zh":
        return name
    return _chinese_table_labels().get(table, {}).get(name) or _chinese_column_labels().get(name, name)


@cache
def _chinese_table_labels() -> dict[str, dict[str, str]]:
    if not DBT_MANIFEST.is_file():
        return {}
    return {table: {c.name: c.label_zh for c in columns} for table, columns in column_labels(DBT_MANIFEST).items()}


@cache
def _chinese_column_labels() -> dict[str, str]:
    return {name: label for labels in _chinese_table_labels().values() for name, label in labels.items()}


def _catalogue() -> dict[str, dict[str, str]]:
    shared = CLI_MESSAGES.keys() & REPORT_MESSAGES.keys()
    if shared:  # one key, one text: a key in both modules would silently take one of them
        raise ValueError(f"message keys defined twice: {sorted(shared)}")
    return {**CLI_MESSAGES, **REPORT_MESSAGES}


CATALOGUE: dict[str, dict[str, str]] = _catalogue()
