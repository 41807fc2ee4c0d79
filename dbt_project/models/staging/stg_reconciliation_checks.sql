-- One row per reconciliation check ingestion made on a report (the rule lives in
-- ingestion/reconciliation.py; nothing is recomputed here).
select
    file_sha256,
    check_seq,
    check_type,
    subject,
    unit_seq,
    project_seq,
    amount_column,
    declared,
    computed,
    difference,
    figures_summed,
    tolerance,
    is_within_tolerance,
    description,
    source_page
from {{ source('raw', 'reconciliation_checks') }}
