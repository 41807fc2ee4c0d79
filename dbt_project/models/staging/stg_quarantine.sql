-- One row per report ingestion refused to load.
select
    source_file,
    file_sha256,
    reason,
    quarantined_at
from {{ source('raw', 'quarantine') }}
