{#- Whether a row prints amounts, and its amounts as <prefix><col>_amount DECIMAL(18,2) columns.
    Empty cells of a printed row arrive as 0 already (ingestion.parse.amounts.empty_cells_as_zero,
    applied by the loader): a row that prints none (layout C has no amount columns) is all NULL. -#}
{% macro printed_amounts(prefix='', flag='has_amounts') -%}
    {%- set columns = ['total', 'fiscal', 'special_account', 'other'] -%}
    ({%- for col in columns %}{{ prefix }}{{ col }} is not null{{ ' or ' if not loop.last }}{% endfor -%}) as {{ flag }},
    {% for col in columns -%}
    {{ prefix }}{{ col }}::decimal(18, 2) as {{ prefix }}{{ col }}_amount{{ ',' if not loop.last }}
    {% endfor -%}
{%- endmacro %}
