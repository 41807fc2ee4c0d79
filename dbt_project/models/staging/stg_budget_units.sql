-- One row per fund-using unit subtotal row printed in a report.
with source as (
    select * from {{ source('raw', 'budget_units') }}
)

select
    file_sha256,
    unit_seq,
    regexp_replace(budget_unit_name, '\s+', '', 'g') as budget_unit_name,
    declared_total is not null or declared_fiscal is not null
        or declared_special_account is not null or declared_other is not null as has_declared_amounts,
    {% for col in ['total', 'fiscal', 'special_account', 'other'] -%}
    case
        when declared_total is null and declared_fiscal is null
            and declared_special_account is null and declared_other is null then null
        else coalesce(declared_{{ col }}, 0)
    end::decimal(18, 2) as declared_{{ col }}_amount,
    {% endfor -%}
    source_page,
    source_row
from source
