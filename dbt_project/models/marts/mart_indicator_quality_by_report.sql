-- How well each report's projects are specified by their performance indicators. Every report
-- has a row, also one without projects.
with reports as (
    select report_key, department_key from {{ ref('int_reports') }}
)

select
    reports.report_key,
    reports.department_key,
    {{ indicator_quality_measures('profile') }}
from reports
left join {{ ref('int_project_indicator_profile') }} as profile
    on profile.report_key = reports.report_key
group by reports.report_key, reports.department_key
