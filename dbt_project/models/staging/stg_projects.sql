-- One row per project of a report (合计 and unit subtotal rows are not projects).
with source as (
    select * from {{ source('raw', 'projects') }}
)

select
    file_sha256,
    project_seq,
    regexp_replace(budget_unit_name, '\s+', '', 'g') as budget_unit_name,
    project_name,
    total is not null or fiscal is not null or special_account is not null or other is not null as has_amounts,
    {% for col in ['total', 'fiscal', 'special_account', 'other'] -%}
    case
        when total is null and fiscal is null and special_account is null and other is null then null
        else coalesce({{ col }}, 0)
    end::decimal(18, 2) as {{ col }}_amount,
    {% endfor -%}
    amounts_inferred,
    goal,
    source_page,
    source_row
from source
