-- Every indicator with its keys, normalized category, numbering check and target-quality checks.
--
-- Incremental by report: when the previous version of the warehouse was seeded into the candidate
-- (publishing/incremental_seed.py: same code, same parser), the rows of reports whose report_version is
-- gone are deleted and only reports with a new version are computed. Otherwise the model is built whole.
{{ config(pre_hook="{% if is_incremental() %}delete from {{ this }} where report_version not in (select report_version from {{ ref('int_reports') }}){% endif %}") }}

with changed_reports as (
    select file_sha256, report_version from {{ ref('int_reports') }}
    {% if is_incremental() %}
    where report_version not in (select distinct report_version from {{ this }})
    {% endif %}
),

indicators as (
    select * from {{ ref('int_indicators_categorized') }}
    where file_sha256 in (select file_sha256 from changed_reports)
),

numbering as (
    select * from {{ ref('int_indicator_numbering') }}
    where file_sha256 in (select file_sha256 from changed_reports)
),

projects as (
    select project_key, report_key, report_version, department_key, file_sha256, project_seq
    from {{ ref('int_projects') }}
    where file_sha256 in (select file_sha256 from changed_reports)
),

keyed as (
    select
        projects.project_key,
        projects.report_key,
        projects.report_version,
        projects.department_key,
        indicators.*,
        numbering.is_number_mismatch,
        numbering.is_number_repeat,
        numbering.is_number_restart,
        numbering.numbering_fault,
        -- The budget-year target is the one a year's performance is judged on; the period target
        -- stands in when the annual one is blank.
        case
            when indicators.has_annual_target then coalesce(indicators.annual_is_quantitative, false)
            when indicators.has_period_target then coalesce(indicators.period_is_quantitative, false)
            else false
        end as is_quantified
    from indicators
    inner join projects
        on projects.file_sha256 = indicators.file_sha256
        and projects.project_seq = indicators.project_seq
    inner join numbering
        on numbering.file_sha256 = indicators.file_sha256
        and numbering.project_seq = indicators.project_seq
        and numbering.indicator_seq = indicators.indicator_seq
)

select
    {{ surrogate_key(['project_key', 'indicator_seq']) }} as indicator_key,
    keyed.*,
    (has_annual_target or has_period_target) and not is_quantified as is_vague_target,
    not has_annual_target and not has_period_target as is_empty_target,
    case
        when not (has_period_target and has_annual_target) then false
        when coalesce(period_is_quantitative, false) and coalesce(annual_is_quantitative, false) then
            period_target_operator is distinct from annual_target_operator
            or period_target_low is distinct from annual_target_low
            or period_target_high is distinct from annual_target_high
            or period_target_unit is distinct from annual_target_unit
        else trim(period_target) <> trim(annual_target)
    end as has_period_annual_disagreement
from keyed
