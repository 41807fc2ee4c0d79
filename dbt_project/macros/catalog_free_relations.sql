{#- ref() and source() render as "schema"."table", without the catalog. dbt-duckdb names the
    catalog after the database file ("candidate"), and DuckDB stores a view's SQL as written: a
    view naming "candidate"."raw"."reports" breaks once the file is published under another
    name. Without the catalog, views resolve inside whatever file they are opened from. -#}
{% macro ref() -%}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if relation is not none and relation.include is defined -%}
        {%- do return(relation.include(database=False)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{% macro source() -%}
    {%- set relation = builtins.source(*varargs, **kwargs) -%}
    {%- if relation is not none and relation.include is defined -%}
        {%- do return(relation.include(database=False)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}
