-- Attainment per department and fiscal year: how many indicators of its self-evaluations were met,
-- not met or not comparable, the attainment rate over the comparable ones, and the points.
select
    attainment.department_key,
    departments.department_name,
    attainment.fiscal_year,
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
left join {{ ref('dim_departments') }} as departments on departments.department_key = attainment.department_key
group by all
