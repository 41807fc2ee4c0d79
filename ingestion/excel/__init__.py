"""Spreadsheet reports (.xlsx through openpyxl, .xls through xlrd) read as grid tables (``ingestion.grid``)."""
