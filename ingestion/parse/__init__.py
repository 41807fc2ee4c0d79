"""The shared steps from cells to rows: every reader's ``SourceRow`` cells become one ``ParsedReport``.

These modules never import a reader (``ingestion.text``, ``ingestion.pdf``): a new format only has to
produce cells, and a new table shape only has to turn cells into rows.
"""
