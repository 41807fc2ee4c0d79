select
    alias_name,
    category_code
from {{ ref('indicator_category_aliases') }}
