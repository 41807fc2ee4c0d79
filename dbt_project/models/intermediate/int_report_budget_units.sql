-- One row per fund-using unit of each report: the units with a printed subtotal row and the units
-- only named on project rows (layouts that print no subtotals), with the declared subtotal and
-- the sums of the unit's projects.
with declared as (
    select
        file_sha256,
        budget_unit_name,
        min(unit_seq) as unit_seq,
        count(*) as subtotal_row_count,
        sum(case when has_declared_amounts then 1 else 0 end) as declared_row_count,
        sum(declared_total_amount) as declared_total_amount,
        sum(declared_fiscal_amount) as declared_fiscal_amount,
        sum(declared_special_account_amount) as declared_special_account_amount,
        sum(declared_other_amount) as declared_other_amount
    from {{ ref('stg_budget_units') }}
    group by file_sha256, budget_unit_name
),

project_sums as (
    select
        file_sha256,
        budget_unit_name,
        min(project_seq) as first_project_seq,
        count(*) as project_count,
        sum(case when has_amounts then 1 else 0 end) as projects_with_amounts,
        sum(total_amount) as projects_total_amount,
        sum(fiscal_amount) as projects_fiscal_amount,
        sum(special_account_amount) as projects_special_account_amount,
        sum(other_amount) as projects_other_amount
    from {{ ref('stg_projects') }}
    group by file_sha256, budget_unit_name
),

units as (
    select file_sha256, budget_unit_name from declared
    union
    select file_sha256, budget_unit_name from project_sums
),

reports as (
    select report_key, department_key, department_name, file_sha256, source_file, fiscal_year
    from {{ ref('int_reports') }}
)

select
    {{ surrogate_key(['units.file_sha256', 'units.budget_unit_name']) }} as report_budget_unit_key,
    reports.report_key,
    reports.department_key,
    {{ surrogate_key(['reports.department_name', 'units.budget_unit_name']) }} as budget_unit_key,
    reports.department_name,
    reports.source_file,
    reports.fiscal_year,
    units.file_sha256,
    units.budget_unit_name,
    declared.unit_seq,
    project_sums.first_project_seq,
    cast(coalesce(declared.subtotal_row_count, 0) as integer) as subtotal_row_count,
    coalesce(declared.declared_row_count, 0) > 0 as has_declared_amounts,
    case when declared.declared_row_count > 0 then cast(declared.declared_total_amount as decimal(18, 2)) end as declared_total_amount,
    case when declared.declared_row_count > 0 then cast(declared.declared_fiscal_amount as decimal(18, 2)) end as declared_fiscal_amount,
    case when declared.declared_row_count > 0 then cast(declared.declared_special_account_amount as decimal(18, 2)) end as declared_special_account_amount,
    case when declared.declared_row_count > 0 then cast(declared.declared_other_amount as decimal(18, 2)) end as declared_other_amount,
    cast(coalesce(project_sums.project_count, 0) as integer) as project_count,
    cast(coalesce(project_sums.projects_with_amounts, 0) as integer) as projects_with_amounts,
    cast(coalesce(project_sums.projects_total_amount, 0) as decimal(18, 2)) as projects_total_amount,
    cast(coalesce(project_sums.projects_fiscal_amount, 0) as decimal(18, 2)) as projects_fiscal_amount,
    cast(coalesce(project_sums.projects_special_account_amount, 0) as decimal(18, 2)) as projects_special_account_amount,
    cast(coalesce(project_sums.projects_other_amount, 0) as decimal(18, 2)) as projects_other_amount
from units
inner join reports on reports.file_sha256 = units.file_sha256
left join declared
    on declared.file_sha256 = units.file_sha256 and declared.budget_unit_name = units.budget_unit_name
left join project_sums
    on project_sums.file_sha256 = units.file_sha256 and project_sums.budget_unit_name = units.budget_unit_name
