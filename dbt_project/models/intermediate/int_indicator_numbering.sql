-- Compares each indicator's printed item number with its position in the project: repeats
-- (same number as the previous item), restarts (back to 1 after the first item) and other
-- out-of-sequence numbers.
with indicators as (
    select
        file_sha256,
        project_seq,
        indicator_seq,
        printed_number_value,
        lag(printed_number_value) over (
            partition by file_sha256, project_seq order by indicator_seq
        ) as previous_number_value
    from {{ ref('stg_indicators') }}
)

select
    file_sha256,
    project_seq,
    indicator_seq,
    printed_number_value,
    coalesce(printed_number_value <> indicator_seq, true) as is_number_mismatch,
    coalesce(printed_number_value = previous_number_value, false) as is_number_repeat,
    coalesce(
        indicator_seq > 1 and printed_number_value = 1 and previous_number_value <> 1, false
    ) as is_number_restart,
    case
        when printed_number_value is null then 'missing_number'
        when printed_number_value = indicator_seq then null
        when printed_number_value = previous_number_value then 'repeat'
        when printed_number_value = 1 then 'restart'
        else 'out_of_sequence'
    end as numbering_fault
from indicators
