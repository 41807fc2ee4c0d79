{% macro matched_indicator_name(column) -%}
    {#- The name two printings of one project's indicator are matched by (see _macros.yml). -#}
    translate({{ without_whitespace("coalesce(" ~ column ~ ", '')") }}, '（）', '()')
{%- endmacro %}
