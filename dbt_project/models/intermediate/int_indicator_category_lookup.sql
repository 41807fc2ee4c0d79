-- Every printed name a category can appear under, with the category it stands for: the official
-- names of the frame and the aliases seen in reports. A name may stand for two categories of
-- different levels (成本指标 is 4 and the legacy 14): the slot it is printed in decides.
with categories as (
    select * from {{ ref('indicator_categories') }}
),

names as (
    select category_name as name_key, category_code from categories
    union
    select alias_name as name_key, category_code from {{ ref('indicator_category_aliases') }}
)

select
    names.name_key,
    categories.category_code,
    categories.category_level,
    categories.parent_code
from names
inner join categories on categories.category_code = names.category_code
