-- One row per project of a report (合计 and unit subtotal rows are not projects).
with source as (
    select * from {{ source('raw', 'projects') }}
)

select
    file_sha256,
    project_seq,
    regexp_replace(budget_unit_name, '\s+', '', 'g') as budget_unit_name,
    project_name,
    {{ printed_amounts() }},
    amounts_inferred,
    goal,
    source_page,
    source_row,
    source_part,
    multi_year_total,
    amount_unit,
    printed_amounts
from source
