"""Tables as grids of cell texts: the one path spreadsheets, web pages and Word documents take.

Each format reader turns the tables of a file into ``table.GridTable`` (rows of cell texts, spans
filled, lineage per row); ``reader.read_grid_report`` finds the target table in them the way the
PDF reader does (``header``) and reads it with the shape collectors of ``ingestion.shapes``.
"""
