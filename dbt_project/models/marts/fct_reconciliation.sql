-- Declared totals against the rows they should sum, one row per check and amount column, as
-- ingestion.reconciliation computed them when the report was loaded (the one reconciliation rule:
-- its figures, tolerance and verdict are taken as they are). This model only attaches the
-- warehouse keys of the report, unit and project checked. A check outside the tolerance is data
-- (is_within_tolerance = false), not a build failure: the Great Expectations gates decide.
with checks as (
    select * from {{ ref('stg_reconciliation_checks') }}
),

reports as (
    select file_sha256, report_key, fiscal_year from {{ ref('int_reports') }}
),

-- The unit of a subtotal check: its subtotal row, by its name as staged, to the report's unit.
unit_rows as (
    select stg.file_sha256, stg.unit_seq, units.budget_unit_key
    from {{ ref('stg_budget_units') }} as stg
    inner join {{ ref('int_report_budget_units') }} as units
        on units.file_sha256 = stg.file_sha256 and units.budget_unit_name = stg.budget_unit_name
),

projects as (
    select projects.file_sha256, projects.project_seq, projects.project_key, projects.budget_unit_key, identity.project_id
    from {{ ref('int_projects') }} as projects
    inner join {{ ref('int_project_identity') }} as identity on identity.project_key = projects.project_key
),

keyed as (
    select
        checks.*,
        reports.report_key,
        reports.fiscal_year,
        coalesce(unit_rows.budget_unit_key, projects.budget_unit_key) as budget_unit_key,
        projects.project_key,
        projects.project_id
    from checks
    inner join reports on reports.file_sha256 = checks.file_sha256
    left join unit_rows on unit_rows.file_sha256 = checks.file_sha256 and unit_rows.unit_seq = checks.unit_seq
    left join projects on projects.file_sha256 = checks.file_sha256 and projects.project_seq = checks.project_seq
)

select
    {{ surrogate_key(['check_type', 'report_key', 'budget_unit_key', 'project_key', 'amount_column']) }}
        as reconciliation_key,
    check_type,
    report_key,
    budget_unit_key,
    project_key,
    amount_column,
    declared as declared_amount,
    computed as computed_amount,
    difference as difference_amount,
    figures_summed as n_rows_summed,
    tolerance,
    is_within_tolerance,
    fiscal_year,
    project_id
from keyed
