-- Per indicator of a self-evaluation: the target, the result and whether the target was met
-- (the doc block 'attainment_rule'), with its score. Its project in the target table (项目支出绩效目标表)
-- is the one of the same project_id (int_project_identity: department, fund-using unit and the
-- normalised name, so 「2024年」, a stray space or (重安排) do not part them) and the same fiscal year;
-- its indicator there the one of the same name (macro matched_indicator_name), the n-th of several
-- equal names the n-th.
with identity as (
    select project_key, project_id, budget_unit_key, project_name, fiscal_year, report_kind, report_key, project_seq
    from {{ ref('int_project_identity') }}
),

results as (
    select
        *,
        row_number() over (partition by project_key, matched_name order by indicator_seq) as occurrence
    from (
        select *, {{ matched_indicator_name('indicator_name') }} as matched_name
        from {{ ref('fct_indicator_results') }}
    ) as named
),

target_projects as (
    -- the project in the year's target table; of two target tables of one year loaded side by side
    -- (a re-issue beside the original), the first by report key and printed position
    select project_id, fiscal_year, project_key
    from (
        select
            project_id,
            fiscal_year,
            project_key,
            row_number() over (partition by project_id, fiscal_year order by report_key, project_seq) as position
        from identity
        where report_kind = 'targets' and fiscal_year is not null
    ) as ordered
    where position = 1
),

target_indicators as (
    select
        indicator_key,
        project_key,
        annual_target,
        matched_name,
        row_number() over (partition by project_key, matched_name order by indicator_seq) as occurrence
    from (
        select *, {{ matched_indicator_name('indicator_name') }} as matched_name
        from {{ ref('int_indicators') }}
    ) as named
    where project_key in (select project_key from target_projects)
),

evaluated as (
    select
        results.*,
        identity.project_name,
        identity.budget_unit_key,
        target_projects.project_key as target_project_key
    from results
    inner join identity on identity.project_key = results.project_key
    left join target_projects
        on target_projects.project_id = results.project_id
        and target_projects.fiscal_year = results.fiscal_year
),

compared as (
    select
        evaluated.*,
        target_indicators.annual_target as target_table_annual_target,
        target_indicators.indicator_key as target_indicator_key,
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
        and target_indicators.matched_name = evaluated.matched_name
        and target_indicators.occurrence = evaluated.occurrence
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
    source_part,
    project_id,
    target_indicator_key
from judged
