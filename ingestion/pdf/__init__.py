"""PDF reports: find the table pages, read the table's cells with PDFium (fast) or pdfplumber (reference).

Everything here ends in ``SourceRow`` cells; ``ingestion.parse`` turns them into a ``ParsedReport``
exactly as it does for the text readers.
"""
