-- What each report is: a target table ('targets') or a self-evaluation ('self_evaluation').
select
    file_sha256,
    report_kind
from {{ source('raw', 'reports') }}
