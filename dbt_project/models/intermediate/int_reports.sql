-- Reports with their keys, what kind of report each is (a target table or a self-evaluation) and the
-- number of units, projects and indicators ingestion found.
with reports as (
    select * from {{ ref('stg_reports') }}
),

kinds as (
    select file_sha256, report_kind from {{ ref('stg_report_kinds') }}
),

project_counts as (
    select file_sha256, count(*) as project_count
    from {{ ref('stg_projects') }}
    group by file_sha256
),

indicator_counts as (
    select file_sha256, count(*) as indicator_count
    from {{ ref('stg_indicators') }}
    group by file_sha256
),

-- What the report's raw rows hold, for report_version: a re-read that changes any row changes it.
project_rows as (
    select file_sha256, sum(hash(*columns(*))) as rows_hash
    from {{ source('raw', 'projects') }}
    group by file_sha256
),

indicator_rows as (
    select file_sha256, sum(hash(*columns(*))) as rows_hash
    from {{ source('raw', 'indicators') }}
    group by file_sha256
),

unit_counts as (
    select file_sha256, count(distinct budget_unit_name) as budget_unit_count
    from (
        select file_sha256, budget_unit_name from {{ ref('stg_budget_units') }}
        union all
        select file_sha256, budget_unit_name from {{ ref('stg_projects') }}
    ) as unit_names
    group by file_sha256
)

select
    {{ surrogate_key(['reports.file_sha256']) }} as report_key,
    case
        when reports.department_name is not null then {{ surrogate_key(['reports.department_name']) }}
    end as department_key,
    reports.*,
    kinds.report_kind,
    cast(coalesce(project_counts.project_count, 0) as integer) as project_count,
    cast(coalesce(indicator_counts.indicator_count, 0) as integer) as indicator_count,
    cast(coalesce(unit_counts.budget_unit_count, 0) as integer) as budget_unit_count,
    md5(concat_ws(
        '|',
        reports.row_hash,
        coalesce(cast(project_rows.rows_hash as varchar), '-'),
        coalesce(cast(indicator_rows.rows_hash as varchar), '-')
    )) as report_version
from reports
inner join kinds on kinds.file_sha256 = reports.file_sha256
left join project_counts on project_counts.file_sha256 = reports.file_sha256
left join indicator_counts on indicator_counts.file_sha256 = reports.file_sha256
left join unit_counts on unit_counts.file_sha256 = reports.file_sha256
left join project_rows on project_rows.file_sha256 = reports.file_sha256
left join indicator_rows on indicator_rows.file_sha256 = reports.file_sha256
