-- Uncertain matches for a person to confirm: within one department and fund-using unit, a project
-- that disappears after a year and a project that appears in the department's next published year,
-- whose names are alike (one contains the other, or an edit-distance similarity of at least 0.6)
-- but not equal under the identity rule. They are never merged by themselves; a decision in the
-- seed confirmed_project_matches settles a pair (and removes it from this list).
with history as (
    select * from {{ ref('mart_project_history') }}
),

gone as (
    select project_id, department_name, budget_unit_name, project_name, previous_fiscal_year as fiscal_year,
        fiscal_year as next_fiscal_year
    from history where project_status = 'discontinued'
),

appeared as (
    select project_id, department_name, budget_unit_name, project_name, fiscal_year
    from history where project_status = 'new'
),

normalised as (
    select
        gone.department_name,
        gone.budget_unit_name,
        gone.project_id as project_id_a,
        gone.project_name as name_a,
        gone.fiscal_year as fiscal_year_a,
        appeared.project_id as project_id_b,
        appeared.project_name as name_b,
        appeared.fiscal_year as fiscal_year_b,
        {{ normalised_project_name('gone.project_name') }} as normalised_a,
        {{ normalised_project_name('appeared.project_name') }} as normalised_b
    from gone
    inner join appeared
        on appeared.department_name = gone.department_name
        and appeared.budget_unit_name = gone.budget_unit_name
        and appeared.fiscal_year = gone.next_fiscal_year
),

scored as (
    select
        *,
        1.0 - {{ char_levenshtein("normalised_a", "normalised_b") }} / greatest(length(normalised_a), length(normalised_b)) as similarity,
        contains(normalised_a, normalised_b) or contains(normalised_b, normalised_a) as is_containment
    from normalised
),

decisions as (
    select
        {{ without_whitespace('department') }} as department_name,
        {{ without_whitespace('unit') }} as budget_unit_name,
        {{ without_whitespace('name_a') }} as name_a,
        {{ without_whitespace('name_b') }} as name_b
    from {{ ref('confirmed_project_matches') }}
)

select
    {{ surrogate_key(['project_id_a', 'project_id_b']) }} as candidate_key,
    department_name,
    budget_unit_name,
    project_id_a,
    name_a,
    cast(fiscal_year_a as integer) as fiscal_year_a,
    project_id_b,
    name_b,
    cast(fiscal_year_b as integer) as fiscal_year_b,
    cast(round(similarity, 2) as decimal(3, 2)) as similarity,
    case when is_containment then 'containment' else 'edit_distance' end as reason
from scored
where (is_containment or similarity >= 0.6)
    and not exists (
        select 1 from decisions
        where decisions.department_name = scored.department_name
            and decisions.budget_unit_name = scored.budget_unit_name
            and {{ without_whitespace('scored.name_a') }} in (decisions.name_a, decisions.name_b)
            and {{ without_whitespace('scored.name_b') }} in (decisions.name_a, decisions.name_b)
    )
