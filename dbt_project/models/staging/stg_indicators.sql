-- One row per printed indicator. Adds the comparison keys the category normalization joins on:
-- printed codes reduced to their digits and printed names without whitespace or punctuation.
with source as (
    select * from {{ source('raw', 'indicators') }}
)

select
    file_sha256,
    project_seq,
    indicator_seq,
    printed_number,
    try_cast(regexp_extract(coalesce(printed_number, ''), '(\d+)', 1) as integer) as printed_number_value,
    nullif(trim(level1_code), '') as printed_level1_code,
    nullif(trim(level1_name), '') as printed_level1_name,
    nullif(trim(level2_code), '') as printed_level2_code,
    nullif(trim(level2_name), '') as printed_level2_name,
    nullif(regexp_replace(coalesce(level1_code, ''), '\D', '', 'g'), '') as level1_code_key,
    nullif(regexp_replace(coalesce(level1_name, ''), '[\s\p{P}]', '', 'g'), '') as level1_name_key,
    nullif(regexp_replace(coalesce(level2_code, ''), '\D', '', 'g'), '') as level2_code_key,
    nullif(regexp_replace(coalesce(level2_name, ''), '[\s\p{P}]', '', 'g'), '') as level2_name_key,
    indicator_name,
    period_target,
    annual_target,
    period_target_operator,
    period_target_low,
    period_target_high,
    period_target_unit,
    period_is_quantitative,
    annual_target_operator,
    annual_target_low,
    annual_target_high,
    annual_target_unit,
    annual_is_quantitative,
    -- "Printed" means a non-blank target text; the loader writes '' for a target printed empty.
    coalesce(trim(period_target), '') <> '' as has_period_target,
    coalesce(trim(annual_target), '') <> '' as has_annual_target,
    source_page,
    raw_text,
    source_row,
    source_part,
    weight,
    direction,
    target_comparator,
    target_measure_unit
from source
