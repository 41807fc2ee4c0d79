-- How well each department's projects are specified, over all of its target tables (a
-- self-evaluation prints the targets again: counting it would count them twice).
with reports as (
    select report_key, department_key from {{ ref('int_reports') }}
    where department_key is not null and report_kind = 'targets'
)

select
    reports.department_key,
    cast(count(distinct reports.report_key) as integer) as report_count,
    {{ indicator_quality_measures('profile') }}
from reports
left join {{ ref('int_project_indicator_profile') }} as profile
    on profile.report_key = reports.report_key
group by reports.department_key
