-- One row per project: how many indicators it has, how they are written and which of the four
-- quality dimensions of the frame (output, outcome, satisfaction, cost) they cover. Projects
-- without any indicator are kept with zero counts.
with projects as (
    select project_key, report_key, department_key from {{ ref('int_projects') }}
),

indicators as (
    select
        indicators.*,
        level1_category.quality_dimension as level1_dimension,
        level2_category.quality_dimension as level2_dimension
    from {{ ref('int_indicators') }} as indicators
    left join {{ ref('indicator_categories') }} as level1_category
        on level1_category.category_code = indicators.level1_code
    left join {{ ref('indicator_categories') }} as level2_category
        on level2_category.category_code = indicators.level2_code
),

per_project as (
    select
        project_key,
        count(*) as indicator_count,
        sum(case when is_quantified then 1 else 0 end) as quantified_indicator_count,
        sum(case when is_vague_target then 1 else 0 end) as vague_target_count,
        sum(case when is_empty_target then 1 else 0 end) as empty_target_count,
        sum(case when has_period_annual_disagreement then 1 else 0 end) as period_annual_disagreement_count,
        sum(case when is_number_mismatch then 1 else 0 end) as numbering_mismatch_count,
        sum(case when is_number_repeat then 1 else 0 end) as numbering_repeat_count,
        sum(case when is_number_restart then 1 else 0 end) as numbering_restart_count,
        sum(case when category_flag is not null then 1 else 0 end) as category_flag_count,
        {% for dimension in ['output', 'outcome', 'satisfaction', 'cost'] -%}
        max(case when level1_dimension = '{{ dimension }}' or level2_dimension = '{{ dimension }}' then 1 else 0 end)
            as covers_{{ dimension }}{{ ',' if not loop.last }}
        {% endfor %}
    from indicators
    group by project_key
)

select
    projects.project_key,
    projects.report_key,
    projects.department_key,
    cast(coalesce(per_project.indicator_count, 0) as integer) as indicator_count,
    cast(coalesce(per_project.quantified_indicator_count, 0) as integer) as quantified_indicator_count,
    cast(coalesce(per_project.vague_target_count, 0) as integer) as vague_target_count,
    cast(coalesce(per_project.empty_target_count, 0) as integer) as empty_target_count,
    cast(coalesce(per_project.period_annual_disagreement_count, 0) as integer) as period_annual_disagreement_count,
    cast(coalesce(per_project.numbering_mismatch_count, 0) as integer) as numbering_mismatch_count,
    cast(coalesce(per_project.numbering_repeat_count, 0) as integer) as numbering_repeat_count,
    cast(coalesce(per_project.numbering_restart_count, 0) as integer) as numbering_restart_count,
    cast(coalesce(per_project.category_flag_count, 0) as integer) as category_flag_count,
    {% for dimension in ['output', 'outcome', 'satisfaction', 'cost'] -%}
    coalesce(per_project.covers_{{ dimension }}, 0) = 1 as covers_{{ dimension }}{{ ',' if not loop.last }}
    {% endfor %}
from projects
left join per_project on per_project.project_key = projects.project_key
