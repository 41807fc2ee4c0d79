"""Table shapes: how the rows of a target table become ``SourceRow`` cells, whatever the source.

A source format (text extract, PDF page grids, spreadsheet / web / Word tables through
``ingestion.grid``) finds the header and cuts the body into rows of cells; the shape of the header
(``ingestion.vocabulary.table_shape``) says how those rows are read (``collector_for``): one row per
project with the indicators as numbered text (``per_project``; the text layouts keep their own
readers, which know how their lines wrap), one row per indicator (``per_indicator``), or one form
per project (``form``, found by its labels rather than a header).
"""

from __future__ import annotations

from ingestion.shapes.per_indicator import IndicatorRowCollector
from ingestion.shapes.per_project import RowCollector
from ingestion.vocabulary import PER_INDICATOR, table_shape


def collector_for(roles: dict[str, int]) -> RowCollector | IndicatorRowCollector:
    """The collector of a target table whose header gives these column roles."""
    return IndicatorRowCollector() if table_shape(roles) == PER_INDICATOR else RowCollector()
