-- Projects with their keys and the report, department and fund-using unit they belong to.
with projects as (
    select * from {{ ref('stg_projects') }}
),

reports as (
    select report_key, report_version, department_key, department_name, file_sha256 from {{ ref('int_reports') }}
)

select
    {{ surrogate_key(['projects.file_sha256', 'projects.project_seq']) }} as project_key,
    reports.report_key,
    reports.report_version,
    reports.department_key,
    {{ surrogate_key(['reports.department_name', 'projects.budget_unit_name']) }} as budget_unit_key,
    reports.department_name,
    projects.*
from projects
inner join reports on reports.file_sha256 = projects.file_sha256
