-- One row per indicator of a self-evaluation (项目支出绩效自评表): its target as the self-evaluation
-- prints it (年度指标值), the result (实际完成值), both parsed by the same target parser, the points
-- it is worth (分值) and earned (得分), the reason for a deviation, and where it was printed.
with results as (
    select * from {{ ref('stg_indicator_results') }}
),

indicators as (
    select * from {{ ref('int_indicators') }}
),

reports as (
    select file_sha256, fiscal_year from {{ ref('int_reports') }}
)

select
    indicators.indicator_key,
    indicators.project_key,
    indicators.report_key,
    indicators.department_key,
    reports.fiscal_year,
    indicators.indicator_seq,
    indicators.level1_code,
    indicators.level2_code,
    indicators.printed_level1_name,
    indicators.printed_level2_name,
    indicators.indicator_name,
    indicators.annual_target,
    indicators.annual_target_operator,
    indicators.annual_target_low,
    indicators.annual_target_high,
    indicators.annual_target_unit,
    indicators.annual_is_quantitative,
    results.actual_value,
    results.actual_operator,
    results.actual_low,
    results.actual_high,
    results.actual_unit,
    results.actual_is_quantitative,
    results.score_weight,
    results.score_weight_points,
    results.score,
    results.score_points,
    results.deviation_reason,
    indicators.source_page,
    indicators.source_row,
    indicators.source_part,
    identity.project_id
from results
inner join indicators
    on indicators.file_sha256 = results.file_sha256
    and indicators.project_seq = results.project_seq
    and indicators.indicator_seq = results.indicator_seq
inner join reports on reports.file_sha256 = results.file_sha256
inner join {{ ref('int_project_identity') }} as identity on identity.project_key = indicators.project_key
