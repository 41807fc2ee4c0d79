-- One row per parsed report. Derives the department's region and administrative level from its
-- name with a general rule: [province] [city] [district/county] prefix, each optional.
with source as (
    select * from {{ source('raw', 'reports') }}
),

cleaned as (
    select
        *,
        -- Every value of the raw row but the load time (part of int_reports.report_version).
        md5(to_json(struct_pack(*columns(* exclude (extracted_at))))) as row_hash,
        -- Names are keys downstream: drop the stray spaces text extraction leaves inside them.
        nullif(regexp_replace(coalesce(department_name, ''), '\s+', '', 'g'), '') as department_name_clean
    from source
),

province as (
    select
        *,
        regexp_extract(coalesce(department_name_clean, ''), '^([^省市县区]{2,7}?(?:省|自治区))', 1) as province_part
    from cleaned
),

city as (
    select
        *,
        regexp_extract(
            substr(coalesce(department_name_clean, ''), length(province_part) + 1),
            '^([^省市县区]{2,7}?市)', 1
        ) as city_part
    from province
),

county as (
    select
        *,
        regexp_extract(
            substr(coalesce(department_name_clean, ''), length(province_part) + length(city_part) + 1),
            -- District and county names are short (白云区, 浦东新区); only 自治县 names run longer
            -- (连南瑶族自治县). The bound keeps "公安局白云区分局" from reading as a district.
            '^([^省市县区]{2,8}?自治县|[^省市县区]{1,4}?[县区])', 1
        ) as county_candidate
    from city
),

county_checked as (
    select
        *,
        -- Common nouns that end in 区 but are no district (社区 = community, 园区 = industrial park...).
        case
            when county_candidate in (
                '社区', '园区', '小区', '景区', '校区', '片区', '辖区', '街区', '营区', '厂区', '湾区', '院区', '商区', '专区'
            ) then ''
            else county_candidate
        end as county_part
    from county
)

select
    source_file,
    file_sha256,
    layout,
    department_name_clean as department_name,
    case
        when county_part <> '' then county_part
        when city_part <> '' then city_part
        when province_part <> '' then province_part
    end as department_region,
    case
        when county_part like '%县' then '县'
        when county_part <> '' then '区'
        when city_part <> '' then '市'
        when province_part <> '' then '省'
    end as department_admin_level,
    fiscal_year,
    page_count,
    pdf_engine,
    pdf_engine_reason,
    fiscal_year_source,
    amount_unit,
    {{ printed_amounts(prefix='declared_', flag='has_declared_amounts') }},
    coalesce(len(warnings), 0)::integer as warning_count,
    array_to_string(warnings, chr(10)) as warnings_text,
    archive_path,
    is_stale,
    stale_reason,
    parser_version,
    extracted_at,
    row_hash
from county_checked
