{% macro normalised_project_name(column) -%}
    {#- The one rule that decides when two printed project names are the same project (see _macros.yml).
        Order matters: brackets are unified before tags inside them are dropped. -#}
    nullif(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        translate(
                            regexp_replace(cast({{ column }} as varchar), '[\s　]+', '', 'g'),
                            '（）【】〔〕［］｛｝〈〉《》０１２３４５６７８９－—–～',
                            '()()()()()()()0123456789----'
                        ),
                        '((19|20)[0-9]{2})年?(-|至|到)((19|20)?[0-9]{2})年度?', '', 'g'
                    ),
                    '(19|20)[0-9]{2}年度?', '', 'g'
                ),
                '\((重安排|重新安排|续|续建|续期|延续|新增|追加|调整|调增|调减)\)', '', 'g'
            ),
            '\(\)', '', 'g'
        ),
        ''
    )
{%- endmacro %}

{% macro without_whitespace(column) -%}
    {#- A printed text with every whitespace character (incl. the ideographic space) removed. -#}
    regexp_replace(cast({{ column }} as varchar), '[\s　]+', '', 'g')
{%- endmacro %}
