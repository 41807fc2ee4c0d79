-- One row per project of a self-evaluation: its budget at the start and at the end of the year,
-- what was spent (all in 万元), the execution rate as printed and as computed, and its score.
with execution as (
    select * from {{ ref('stg_project_execution') }}
),

projects as (
    select * from {{ ref('int_projects') }}
),

reports as (
    select file_sha256, fiscal_year from {{ ref('int_reports') }}
)

select
    projects.project_key,
    projects.report_key,
    projects.department_key,
    projects.budget_unit_key,
    reports.fiscal_year,
    projects.project_name,
    execution.budget_initial as budget_initial_amount,
    execution.budget_full_year as budget_full_year_amount,
    execution.executed as executed_amount,
    execution.execution_rate,
    cast(
        case
            when execution.budget_full_year > 0
                then round(execution.executed / execution.budget_full_year * 100, 2)
        end as decimal(18, 2)
    ) as computed_execution_rate,
    execution.printed_execution,
    execution.project_score,
    projects.source_page,
    projects.source_row,
    projects.source_part,
    identity.project_id
from execution
inner join projects
    on projects.file_sha256 = execution.file_sha256
    and projects.project_seq = execution.project_seq
inner join reports on reports.file_sha256 = execution.file_sha256
inner join {{ ref('int_project_identity') }} as identity on identity.project_key = projects.project_key
