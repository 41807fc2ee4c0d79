-- Per indicator of a self-evaluation: the target, the result and whether the target was met
-- (the doc block 'attainment_rule'), with its score. The project of the target table of the same department
-- and fiscal year is found by its name with whitespace removed (an exact match; the project identity
-- across reports, int_project_identity, refines it), and its indicator by the same rule.
with results as (
    select * from {{ ref('fct_indicator_results') }}
),

kinds as (
    select * from {{ ref('stg_report_kinds') }}
),

projects as (
    select
        projects.project_key,
        projects.department_key,
        projects.budget_unit_key,
        projects.project_name,
        replace(replace(projects.project_name, ' ', ''), '　', '') as name_key,
        reports.fiscal_year,
        kinds.report_kind
    from {{ ref('int_projects') }} as projects
    inner join {{ ref('int_reports') }} as reports on reports.file_sha256 = projects.file_sha256
    inner join kinds on kinds.file_sha256 = projects.file_sha256
),

target_indicators as (
    select
        project_key,
        replace(replace(coalesce(indicator_name, ''), ' ', ''), '　', '') as name_key,
        min(annual_target) as annual_target
    from {{ ref('int_indicators') }}
    group by all
),

evaluated as (
    select
        results.*,
        projects.project_name,
        projects.budget_unit_key,
        targets.project_key as target_project_key
    from results
    inner join projects on projects.project_key = results.project_key
    left join projects as targets
        on targets.report_kind = 'targets'
        and targets.department_key = projects.department_key
        and targets.fiscal_year = projects.fiscal_year
        and targets.name_key = projects.name_key
        and targets.budget_unit_key = projects.budget_unit_key
),

compared as (
    select
        evaluated.*,
        target_indicators.annual_target as target_table_annual_target,
        case when annual_target_unit in ('%', '％', '百分比', '百分之') then '%' else annual_target_unit end
            as target_unit_key,
        case when actual_unit in ('%', '％', '百分比', '百分之') then '%' else actual_unit end as actual_unit_key,
        case when actual_operator in ('<=', '<') then actual_high else actual_low end as actual_number,
        coalesce(actual_value, '') like '%未%' or coalesce(actual_value, '') like '%没有%' as says_not_reached,
        coalesce(actual_value, '') like '%完成%'
        or coalesce(actual_value, '') like '%达成%'
        or coalesce(actual_value, '') like '%达到%'
        or coalesce(actual_value, '') like '%实现%'
        or coalesce(actual_value, '') like '%达标%' as says_reached
    from evaluated
    left join target_indicators
        on target_indicators.project_key = evaluated.target_project_key
        and target_indicators.name_key = replace(replace(coalesce(evaluated.indicator_name, ''), ' ', ''), '　', '')
),

judged as (
    select
        compared.*,
        coalesce(annual_is_quantitative, false)
        and coalesce(actual_is_quantitative, false)
        and actual_operator <> 'range'
        and (actual_unit_key is null or actual_unit_key = target_unit_key) as is_comparable_number,
        case
            when annual_target_operator = '>=' then actual_number >= annual_target_low
            when annual_target_operator = '>' then actual_number > annual_target_low
            when annual_target_operator = '<=' then actual_number <= annual_target_high
            when annual_target_operator = '<' then actual_number < annual_target_high
            when annual_target_operator = '=' then actual_number = annual_target_low
            when annual_target_operator = 'range' then actual_number between annual_target_low and annual_target_high
        end as number_meets_target
    from compared
)

select
    indicator_key,
    project_key,
    target_project_key,
    report_key,
    department_key,
    budget_unit_key,
    fiscal_year,
    project_name,
    level1_code,
    level2_code,
    printed_level1_name,
    printed_level2_name,
    indicator_name,
    annual_target as target,
    annual_target_operator as target_operator,
    annual_target_low as target_low,
    annual_target_high as target_high,
    annual_target_unit as target_unit,
    target_table_annual_target,
    actual_value as result,
    actual_number as result_number,
    actual_unit as result_unit,
    case
        when is_comparable_number and number_meets_target then 'met'
        when is_comparable_number then 'not met'
        when coalesce(actual_is_quantitative, false) then 'not comparable'
        when says_not_reached then 'not met'
        when says_reached then 'met'
        else 'not comparable'
    end as attainment,
    case
        when is_comparable_number then 'number'
        when coalesce(actual_is_quantitative, false) then 'units differ or no number target'
        when says_not_reached or says_reached then 'result wording'
        else 'qualitative'
    end as attainment_basis,
    score_weight_points,
    score_points,
    score_points >= score_weight_points as is_full_score,
    deviation_reason,
    source_page,
    source_row,
    source_part
from judged
