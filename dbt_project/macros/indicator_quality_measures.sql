{% macro indicator_quality_measures(profile) -%}
    {#- Aggregates of int_project_indicator_profile (joined as alias `profile`, possibly outer
        joined so that a report without projects still gets a row) shared by the per-report and
        per-department indicator-quality marts. Shares are NULL when their denominator is 0. -#}
    {%- set dimensions = ['output', 'outcome', 'satisfaction', 'cost'] -%}
    cast(count({{ profile }}.project_key) as integer) as project_count,
    cast(coalesce(sum({{ profile }}.indicator_count), 0) as integer) as indicator_count,
    cast(coalesce(sum({{ profile }}.quantified_indicator_count), 0) as integer) as quantified_indicator_count,
    cast(1.0 * sum({{ profile }}.quantified_indicator_count) / nullif(sum({{ profile }}.indicator_count), 0) as decimal(9, 4))
        as quantified_share,
    cast(1.0 * sum({{ profile }}.indicator_count) / nullif(count({{ profile }}.project_key), 0) as decimal(9, 2))
        as indicators_per_project,
    cast(coalesce(sum(case when {{ profile }}.indicator_count = 0 then 1 else 0 end), 0) as integer)
        as projects_without_indicators,
    {% for dimension in dimensions -%}
    cast(coalesce(sum(case when {{ profile }}.covers_{{ dimension }} then 1 else 0 end), 0) as integer)
        as projects_covering_{{ dimension }},
    cast(1.0 * sum(case when {{ profile }}.covers_{{ dimension }} then 1 else 0 end) / nullif(count({{ profile }}.project_key), 0) as decimal(9, 4))
        as {{ dimension }}_coverage_share,
    {% endfor -%}
    cast(
        {% for dimension in dimensions -%}
        max(case when {{ profile }}.covers_{{ dimension }} then 1 else 0 end){{ ' +' if not loop.last }}
        {% endfor -%}
    as integer) as quality_dimensions_covered,
    {% for measure in [
        'vague_target_count', 'empty_target_count', 'period_annual_disagreement_count',
        'numbering_mismatch_count', 'numbering_repeat_count', 'numbering_restart_count',
        'category_flag_count'] -%}
    cast(coalesce(sum({{ profile }}.{{ measure }}), 0) as integer) as {{ measure }},
    {% endfor -%}
    cast(coalesce(sum(case when {{ profile }}.numbering_mismatch_count > 0 then 1 else 0 end), 0) as integer)
        as projects_with_numbering_faults
{%- endmacro %}
