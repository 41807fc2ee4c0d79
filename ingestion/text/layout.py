"""What every text layout reader returns (``LayoutResult``) and how it numbers pages (``PageTracker``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.model import SourceRow
from ingestion.text.detect import TableHeader
from ingestion.text.encoding import TextLine
from ingestion.vocabulary import is_header_text


@dataclass
class LayoutResult:
    rows: list[SourceRow]
    department_name: str | None  # when the layout prints it inside the table (layout C)
    page_count: int | None  # pages the table spans, when the text shows page breaks
    warnings: list[str] = field(default_factory=list)


class PageTracker:
    """Page numbers for text extracts: form feeds if the file has any, else repeated headers.

    A repeated column-title row is how these extracts show a page break. With neither form feeds
    nor repeated headers the text carries no page information and pages stay None.
    """

    def __init__(self, lines: list[TextLine], header: TableHeader):
        self._form_feeds = any(line.page is not None for line in lines)
        body = lines[header.last_index + 1 :]
        self._repeats = any(is_header_text(line.text) for line in body)
        self._counted = 1
        self._last_page = max((line.page or 0 for line in lines), default=0) or None

    @property
    def has_pages(self) -> bool:
        return self._form_feeds or self._repeats

    def new_page(self) -> None:
        """Call at a repeated header (ignored when form feeds give the pages)."""
        self._counted += 1

    def page_of(self, line: TextLine) -> int | None:
        if self._form_feeds:
            return line.page
        return self._counted if self._repeats else None

    def page_count(self) -> int | None:
        """Pages of the text (form feeds) or of the table (repeated headers); None if unknown."""
        if self._form_feeds:
            return self._last_page
        return self._counted if self._repeats else None
