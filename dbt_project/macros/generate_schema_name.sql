{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- A custom schema is used verbatim (staging, intermediate, main, reference), not prefixed
        with the target schema as dbt does by default. -#}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
