-- How well each target table's projects are specified by their performance indicators. Every
-- target table has a row, also one without projects; a self-evaluation has none (it prints the
-- targets again, judged in mart_target_attainment).
with reports as (
    select report_key, department_key, fiscal_year from {{ ref('int_reports') }}
    where report_kind = 'targets'
)

select
    reports.report_key,
    reports.department_key,
    reports.fiscal_year,
    {{ indicator_quality_measures('profile') }}
from reports
left join {{ ref('int_project_indicator_profile') }} as profile
    on profile.report_key = reports.report_key
group by reports.report_key, reports.department_key, reports.fiscal_year
