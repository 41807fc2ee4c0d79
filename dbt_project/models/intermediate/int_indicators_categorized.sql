-- Normalizes the printed category of every indicator through the category seeds and flags what
-- does not fit the frame. Each of the two printed slots (level 1, level 2) is resolved on its own:
--   * a printed code counts when it is in the frame; its printed name must then agree with it;
--   * an uncoded slot is resolved from its name, preferring a category of the slot's level.
-- The normalized level-1 code comes from slot 1 when it holds a level-1 category, otherwise from
-- the parent of the level-2 category found; the level-2 code from whichever slot holds a level-2
-- category (slot 2 first). No indicator is ever dropped.
with indicators as (
    select * from {{ ref('stg_indicators') }}
),

lookup as (
    select * from {{ ref('int_indicator_category_lookup') }}
),

categories as (
    select * from {{ ref('indicator_categories') }}
),

{% for slot in [1, 2] %}
-- An uncoded slot's name may match categories of both levels: prefer the slot's own level.
slot{{ slot }}_name_candidates as (
    select
        indicators.file_sha256,
        indicators.project_seq,
        indicators.indicator_seq,
        lookup.category_code,
        row_number() over (
            partition by indicators.file_sha256, indicators.project_seq, indicators.indicator_seq
            order by case when lookup.category_level = {{ slot }} then 0 else 1 end, lookup.category_code
        ) as preference
    from indicators
    inner join lookup on lookup.name_key = indicators.level{{ slot }}_name_key
),
{% endfor %}

slots as (
    select
        indicators.*,
        case
            when indicators.level1_code_key is not null then code1.category_code
            else name1.category_code
        end as slot1_code,
        case
            when indicators.level2_code_key is not null then code2.category_code
            else name2.category_code
        end as slot2_code,
        -- A printed code outside the frame, or a printed uncoded name nobody knows.
        (indicators.level1_code_key is not null and code1.category_code is null)
            or (indicators.level1_code_key is null and indicators.level1_name_key is not null
                and name1.category_code is null) as slot1_unknown,
        (indicators.level2_code_key is not null and code2.category_code is null)
            or (indicators.level2_code_key is null and indicators.level2_name_key is not null
                and name2.category_code is null) as slot2_unknown,
        -- A printed code whose printed name stands for another category.
        indicators.level1_code_key is not null and code1.category_code is not null
            and indicators.level1_name_key is not null
            and not exists (
                select 1 from lookup
                where lookup.name_key = indicators.level1_name_key
                    and lookup.category_code = indicators.level1_code_key
            ) as slot1_name_disagrees,
        indicators.level2_code_key is not null and code2.category_code is not null
            and indicators.level2_name_key is not null
            and not exists (
                select 1 from lookup
                where lookup.name_key = indicators.level2_name_key
                    and lookup.category_code = indicators.level2_code_key
            ) as slot2_name_disagrees
    from indicators
    left join categories as code1 on code1.category_code = indicators.level1_code_key
    left join categories as code2 on code2.category_code = indicators.level2_code_key
    left join slot1_name_candidates as name1
        on name1.file_sha256 = indicators.file_sha256
        and name1.project_seq = indicators.project_seq
        and name1.indicator_seq = indicators.indicator_seq
        and name1.preference = 1
    left join slot2_name_candidates as name2
        on name2.file_sha256 = indicators.file_sha256
        and name2.project_seq = indicators.project_seq
        and name2.indicator_seq = indicators.indicator_seq
        and name2.preference = 1
),

slot_levels as (
    select
        slots.*,
        slot1.category_level as slot1_level,
        slot1.parent_code as slot1_parent,
        slot2.category_level as slot2_level,
        slot2.parent_code as slot2_parent
    from slots
    left join categories as slot1 on slot1.category_code = slots.slot1_code
    left join categories as slot2 on slot2.category_code = slots.slot2_code
),

normalized as (
    select
        slot_levels.*,
        case
            when slot1_level = 1 then slot1_code
            when slot1_level = 2 then slot1_parent
            when slot2_level = 2 then slot2_parent
            when slot2_level = 1 then slot2_code
        end as level1_code,
        case
            when slot2_level = 2 then slot2_code
            when slot1_level = 2 then slot1_code
        end as level2_code
    from slot_levels
)

select
    normalized.*,
    case
        when printed_level1_code is null and printed_level1_name is null
            and printed_level2_code is null and printed_level2_name is null then 'missing_category'
        when slot1_unknown or slot2_unknown then 'unknown_category'
        when slot1_name_disagrees or slot2_name_disagrees
            or (level1_code_key is not null and slot1_level = 2)
            or (level2_code_key is not null and slot2_level = 1) then 'code_name_mismatch'
        when level1_code_key is null and slot1_level = 2 then 'level2_as_level1'
        when level2_code_key is null and slot2_level = 1 then 'level1_as_level2'
        when slot2_level = 2 and slot1_level = 1 and slot2_parent <> slot1_code then 'level2_parent_mismatch'
        when level2_category.legacy_flag is not null then level2_category.legacy_flag
    end as category_flag
from normalized
left join categories as level2_category on level2_category.category_code = normalized.level2_code
