-- Declared totals against the rows they should sum, one row per check and amount column.
-- Published figures are rounded to 0.01 万元, so a sum of n rounded figures may drift by up to
-- 0.005 per row: the tolerance is var('rounding_tolerance_per_figure') * n_rows_summed (+ a tiny
-- epsilon). A difference beyond it is data (is_within_tolerance = false), not a build failure: the
-- Great Expectations gates decide what blocks publication.
{% set amount_columns = ['total', 'fiscal', 'special_account', 'other'] %}

with reports as (
    select * from {{ ref('int_reports') }}
),

units as (
    select * from {{ ref('int_report_budget_units') }}
),

projects as (
    select * from {{ ref('int_projects') }}
),

report_project_sums as (
    select
        report_key,
        sum(case when has_amounts then 1 else 0 end) as n_rows,
        {% for col in amount_columns -%}
        coalesce(sum({{ col }}_amount), 0) as {{ col }}_amount{{ ',' if not loop.last }}
        {% endfor %}
    from projects
    group by report_key
),

report_unit_sums as (
    select
        report_key,
        count(*) as n_rows,
        {% for col in amount_columns -%}
        sum(declared_{{ col }}_amount) as {{ col }}_amount{{ ',' if not loop.last }}
        {% endfor %}
    from units
    where has_declared_amounts
    group by report_key
),

checks as (
    {% for col in amount_columns %}
    select
        'report_total_vs_projects' as check_type,
        reports.report_key,
        cast(null as varchar) as budget_unit_key,
        cast(null as varchar) as project_key,
        '{{ col }}' as amount_column,
        reports.declared_{{ col }}_amount as declared_amount,
        coalesce(sums.{{ col }}_amount, 0) as computed_amount,
        coalesce(sums.n_rows, 0) as n_rows_summed
    from reports
    left join report_project_sums as sums on sums.report_key = reports.report_key
    where reports.has_declared_amounts

    union all

    select
        'report_total_vs_budget_units' as check_type,
        reports.report_key,
        cast(null as varchar) as budget_unit_key,
        cast(null as varchar) as project_key,
        '{{ col }}' as amount_column,
        reports.declared_{{ col }}_amount as declared_amount,
        sums.{{ col }}_amount as computed_amount,
        sums.n_rows as n_rows_summed
    from reports
    inner join report_unit_sums as sums on sums.report_key = reports.report_key
    where reports.has_declared_amounts

    union all

    select
        'budget_unit_subtotal_vs_projects' as check_type,
        units.report_key,
        units.budget_unit_key,
        cast(null as varchar) as project_key,
        '{{ col }}' as amount_column,
        units.declared_{{ col }}_amount as declared_amount,
        units.projects_{{ col }}_amount as computed_amount,
        units.projects_with_amounts as n_rows_summed
    from units
    where units.has_declared_amounts

    union all
    {% endfor %}

    select
        'project_total_vs_sources' as check_type,
        projects.report_key,
        projects.budget_unit_key,
        projects.project_key,
        'total' as amount_column,
        projects.total_amount as declared_amount,
        projects.fiscal_amount + projects.special_account_amount + projects.other_amount as computed_amount,
        3 as n_rows_summed
    from projects
    where projects.has_amounts
),

measured as (
    select
        checks.*,
        checks.declared_amount - checks.computed_amount as difference_amount,
        {{ var('rounding_tolerance_per_figure') }} * checks.n_rows_summed + 0.000001 as tolerance
    from checks
)

select
    {{ surrogate_key(['check_type', 'report_key', 'budget_unit_key', 'project_key', 'amount_column']) }}
        as reconciliation_key,
    check_type,
    report_key,
    budget_unit_key,
    project_key,
    amount_column,
    cast(declared_amount as decimal(18, 2)) as declared_amount,
    cast(computed_amount as decimal(18, 2)) as computed_amount,
    cast(difference_amount as decimal(18, 2)) as difference_amount,
    cast(n_rows_summed as integer) as n_rows_summed,
    cast(tolerance as decimal(18, 6)) as tolerance,
    abs(difference_amount) <= tolerance as is_within_tolerance
from measured
