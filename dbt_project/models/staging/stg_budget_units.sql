-- One row per fund-using unit subtotal row printed in a report.
with source as (
    select * from {{ source('raw', 'budget_units') }}
)

select
    file_sha256,
    unit_seq,
    regexp_replace(budget_unit_name, '\s+', '', 'g') as budget_unit_name,
    {{ printed_amounts(prefix='declared_', flag='has_declared_amounts') }},
    source_page,
    source_row,
    source_part
from source
