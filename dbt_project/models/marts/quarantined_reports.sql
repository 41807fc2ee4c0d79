select
    source_file,
    file_sha256,
    reason,
    quarantined_at
from {{ ref('stg_quarantine') }}
