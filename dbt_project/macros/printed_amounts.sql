{#- The README's amount rule, in one place: on a row that prints any amount an empty cell is 0; a
    row that prints none (layout C has no amount columns) keeps NULLs. Emits the has_<flag> column
    and one <prefix><col>_amount DECIMAL(18,2) column per amount column. -#}
{% macro printed_amounts(prefix='', flag='has_amounts') -%}
    {%- set columns = ['total', 'fiscal', 'special_account', 'other'] -%}
    {%- set printed -%}
        {%- for col in columns %}{{ prefix }}{{ col }} is not null{{ ' or ' if not loop.last }}{% endfor -%}
    {%- endset -%}
    ({{ printed }}) as {{ flag }},
    {% for col in columns -%}
    case when {{ printed }} then coalesce({{ prefix }}{{ col }}, 0) end::decimal(18, 2)
        as {{ prefix }}{{ col }}_amount{{ ',' if not loop.last }}
    {% endfor -%}
{%- endmacro %}
