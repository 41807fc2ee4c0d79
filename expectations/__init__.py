"""Great Expectations gates of budget-etl.

Two gates:

* ``expectations.report_gate``: run on the rows the loader writes for one report (its
  reconciliation checks included) before it enters the warehouse; a failure quarantines that report.
* ``expectations.gate.validate_warehouse``: run on the candidate DuckDB warehouse built by dbt before it replaces the
  published one; a failure blocks the publish.

The expectation suites are the committed JSON files of the GX file context in ``expectations/gx``
(``gx/expectations/<suite>.json``): they are the one source of truth of what is checked. Edit them
by hand or with GX's API on that file context. Python here only decides which frame of the
candidate each suite is validated against (``frames``), supplies the run-time parameters (the
category codes of the dbt seed) and words the failures (``messages``).

``great_expectations`` takes seconds to import, so no module of this package imports it at import
time.
"""
