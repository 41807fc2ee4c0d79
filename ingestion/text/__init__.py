"""Text extracts (.txt) of the report: decode, find the header, pick layout A/B/C, read its cells.

Each layout reader is thin: it turns the table body into ``SourceRow`` cells and nothing more.
Header rows, totals, fund-using units, continuation rows, amounts and indicators are the shared
parse steps' job (``ingestion.parse``), so the PDF reader and the text readers interpret rows identically.
"""
