select
    category_code,
    category_name,
    category_level,
    parent_code,
    quality_dimension,
    legacy_flag
from {{ ref('indicator_categories') }}
