"""Word reports (.docx) whose table is a real Word table, read as grid tables (``ingestion.grid``)."""
