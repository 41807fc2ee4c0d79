-- One row per fund-using unit of a department. A unit printed by several reports (several budget
-- years) keeps the subtotal of its latest report; every report's subtotal is in fct_reconciliation.
with report_units as (
    select
        report_budget_unit_key,
        report_key,
        department_key,
        budget_unit_key,
        budget_unit_name,
        has_declared_amounts,
        declared_total_amount,
        declared_fiscal_amount,
        declared_special_account_amount,
        declared_other_amount,
        row_number() over (
            partition by budget_unit_key
            order by
                case when fiscal_year is null then 1 else 0 end,
                fiscal_year desc,
                source_file desc
        ) as recency,
        count(*) over (partition by budget_unit_key) as report_count
    from {{ ref('int_report_budget_units') }}
)

select
    budget_unit_key,
    department_key,
    budget_unit_name,
    cast(report_count as integer) as report_count,
    report_key as latest_report_key,
    has_declared_amounts,
    declared_total_amount,
    declared_fiscal_amount,
    declared_special_account_amount,
    declared_other_amount
from report_units
where recency = 1
