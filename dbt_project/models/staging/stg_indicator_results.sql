-- A self-evaluation's result columns, one row per indicator of a table that prints them (实际完成值 …).
-- Target tables print none (actual_value NULL) and give no row. Scores are read as numbers where
-- they are one ("8", "7.5"); the printed text stays beside them.
with source as (
    select * from {{ source('raw', 'indicators') }}
    where actual_value is not null
)

select
    file_sha256,
    project_seq,
    indicator_seq,
    actual_value,
    actual_operator,
    actual_low,
    actual_high,
    actual_unit,
    actual_is_quantitative,
    score_weight,
    try_cast(nullif(trim(score_weight), '') as decimal(18, 4)) as score_weight_points,
    score,
    try_cast(nullif(trim(score), '') as decimal(18, 4)) as score_points,
    nullif(trim(deviation_reason), '') as deviation_reason
from source
