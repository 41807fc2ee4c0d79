{% macro require_candidate_path() -%}
    {%- if execute and target.type == 'duckdb' and target.path in (':memory:', '', none) -%}
        {{ exceptions.raise_compiler_error(
            "BUDGET_DBT_DB_PATH is not set: export it as the absolute path of the candidate "
            ~ "DuckDB file to build (the file whose schema raw was filled by ingestion).") }}
    {%- endif -%}
    select 1
{%- endmacro %}
