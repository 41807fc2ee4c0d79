{% macro surrogate_key(columns) -%}
    {#- md5 over the natural key columns, each cast to text, NULL written as an empty string,
        joined by '|'. Portable SQL: same key on every build and every engine with md5(). -#}
    md5(
    {%- for column in columns -%}
        coalesce(cast({{ column }} as varchar), '')
        {%- if not loop.last %} || '|' || {% endif -%}
    {%- endfor -%}
    )
{%- endmacro %}
