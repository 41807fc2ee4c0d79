"""Web-page reports (.html, .htm, pages saved from a department's site) read as grid tables (``ingestion.grid``)."""
