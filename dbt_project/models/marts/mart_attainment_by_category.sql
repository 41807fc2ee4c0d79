-- Attainment per indicator category (一级指标 / 二级指标 of the national frame) and fiscal year.
select
    attainment.fiscal_year,
    attainment.level1_code,
    level1.category_name as level1_name,
    attainment.level2_code,
    level2.category_name as level2_name,
    cast(count(*) as integer) as indicator_count,
    cast(count(*) filter (where attainment = 'met') as integer) as met_count,
    cast(count(*) filter (where attainment = 'not met') as integer) as not_met_count,
    cast(count(*) filter (where attainment = 'not comparable') as integer) as not_comparable_count,
    cast(
        round(
            count(*) filter (where attainment = 'met')
            / nullif(count(*) filter (where attainment in ('met', 'not met')), 0),
            4
        ) as decimal(9, 4)
    ) as attainment_rate,
    cast(sum(score_weight_points) as decimal(18, 4)) as score_weight_total,
    cast(sum(score_points) as decimal(18, 4)) as score_total
from {{ ref('mart_target_attainment') }} as attainment
left join {{ ref('indicator_categories') }} as level1 on level1.category_code = attainment.level1_code
left join {{ ref('indicator_categories') }} as level2 on level2.category_code = attainment.level2_code
group by all
