select
    fund_source,
    fund_source_name,
    display_order
from {{ ref('fund_sources') }}
