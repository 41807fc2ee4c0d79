"""The texts of ``budget_etl.i18n``, one module per output: the CLI's and the HTML report's."""
