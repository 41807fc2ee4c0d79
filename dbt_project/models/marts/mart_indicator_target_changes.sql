-- Indicators whose annual target (年度指标值) changed between a project's consecutive published years.
-- An indicator is the same across years when its project_id, level-1 and level-2 codes and name
-- (macro matched_indicator_name) are equal; the n-th of several equal ones matches the n-th.
-- Target tables only (a self-evaluation prints the same year's targets again).
with indicators as (
    select
        indicators.indicator_key,
        indicators.indicator_seq,
        identity.project_id,
        identity.fiscal_year,
        identity.department_name,
        identity.project_name,
        indicators.level1_code,
        indicators.level2_code,
        indicators.indicator_name,
        indicators.annual_target,
        indicators.annual_target_operator,
        indicators.annual_target_low,
        indicators.annual_target_high,
        indicators.annual_target_unit,
        {{ matched_indicator_name('indicators.indicator_name') }} as matched_name
    from {{ ref('int_indicators') }} as indicators
    inner join {{ ref('int_project_identity') }} as identity on identity.project_key = indicators.project_key
    where identity.fiscal_year is not null and identity.report_kind = 'targets'
),

numbered as (
    select
        *,
        row_number() over (
            partition by project_id, fiscal_year, level1_code, level2_code, matched_name
            order by indicator_seq
        ) as occurrence
    from indicators
),

project_years as (
    select distinct project_id, fiscal_year from indicators
),

consecutive as (
    select
        project_id,
        fiscal_year,
        lag(fiscal_year) over (partition by project_id order by fiscal_year) as previous_fiscal_year
    from project_years
),

paired as (
    select
        current_year.*,
        consecutive.previous_fiscal_year,
        previous.indicator_key as previous_indicator_key,
        previous.annual_target as previous_annual_target,
        previous.annual_target_operator as previous_operator,
        previous.annual_target_low as previous_low,
        previous.annual_target_high as previous_high,
        previous.annual_target_unit as previous_unit
    from numbered as current_year
    inner join consecutive
        on consecutive.project_id = current_year.project_id
        and consecutive.fiscal_year = current_year.fiscal_year
    inner join numbered as previous
        on previous.project_id = current_year.project_id
        and previous.fiscal_year = consecutive.previous_fiscal_year
        and previous.level1_code is not distinct from current_year.level1_code
        and previous.level2_code is not distinct from current_year.level2_code
        and previous.matched_name = current_year.matched_name
        and previous.occurrence = current_year.occurrence
)

select
    {{ surrogate_key(['previous_indicator_key', 'indicator_key']) }} as target_change_key,
    project_id,
    department_name,
    project_name,
    level1_code,
    level2_code,
    indicator_name,
    cast(previous_fiscal_year as integer) as previous_fiscal_year,
    cast(fiscal_year as integer) as fiscal_year,
    previous_indicator_key,
    indicator_key,
    previous_annual_target,
    annual_target,
    case
        when previous_operator is not distinct from annual_target_operator
            and previous_unit is not distinct from annual_target_unit
            and previous_low is not null and annual_target_low is not null
            then 'number'
        when previous_unit is distinct from annual_target_unit and previous_low is not null and annual_target_low is not null
            then 'unit'
        when previous_operator is distinct from annual_target_operator and previous_low is not null
            and annual_target_low is not null
            then 'comparator'
        else 'text'
    end as change_kind,
    cast(previous_low as double) as previous_target_low,
    cast(annual_target_low as double) as target_low,
    previous_unit as previous_target_unit,
    annual_target_unit as target_unit
from paired
where {{ without_whitespace("coalesce(previous_annual_target, '')") }}
    <> {{ without_whitespace("coalesce(annual_target, '')") }}
