"""Names and texts spliced into DuckDB SQL where a parameter cannot go (DDL, COMMENT ON, COPY TO).

DuckDB's standard strings have no backslash escapes: doubling the quote is the whole rule.
"""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def string_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
