{% macro char_levenshtein(a, b) -%}
    {#- Edit distance in characters, the same on every DuckDB: 1.5's levenshtein() counts UTF-8 bytes
        (a Chinese character is 3), 2.0's counts characters. Each distinct character of the pair is first
        mapped to one ASCII character (translate), so both count characters (exact up to 127 distinct
        characters per pair). -#}
    (
        with chars as (select list_distinct(string_split(coalesce({{ a }}, '') || coalesce({{ b }}, ''), '')) as cs),
        codes as (
            select
                array_to_string(cs, '') as from_chars,
                array_to_string(list_transform(range(len(cs)), i -> chr(1 + i::integer)), '') as to_chars
            from chars
        )
        select levenshtein(translate({{ a }}, from_chars, to_chars), translate({{ b }}, from_chars, to_chars))
        from codes
    )
{%- endmacro %}
