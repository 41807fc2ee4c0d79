-- A self-evaluation's budget and spending, one row per project of a table that prints them
-- (年初预算数, 全年预算数, 全年执行数, 执行率). Target tables print none and give no row.
with source as (
    select * from {{ source('raw', 'projects') }}
    where printed_execution is not null or project_score is not null
)

select
    file_sha256,
    project_seq,
    budget_initial,
    budget_full_year,
    executed,
    execution_rate,
    printed_execution,
    project_score
from source
