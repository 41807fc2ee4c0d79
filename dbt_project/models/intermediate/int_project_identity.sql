-- One row per printed project with its stable project_id: md5 of department, fund-using unit and
-- identity name. The identity name is the normalised name (macro normalised_project_name), except
-- that a confirmed "same" decision maps name_b onto name_a, a confirmed "different" decision keys
-- both names on their exact text, and two projects of one report never share an id (they fall
-- back to the exact name, then to the printed position). A department renamed between years is
-- keyed under the name the seed department_aliases maps it to (a person's decision, never a rule).
with aliases as (
    select
        {{ without_whitespace('alias_name') }} as alias_name,
        {{ without_whitespace('department_name') }} as department_name
    from {{ ref('department_aliases') }}
),

projects as (
    select
        projects.project_key,
        projects.report_key,
        projects.department_key,
        coalesce(aliases.department_name, projects.department_name) as department_name,
        projects.budget_unit_key,
        projects.budget_unit_name,
        projects.project_seq,
        projects.project_name,
        reports.fiscal_year,
        reports.report_kind,
        {{ without_whitespace('projects.project_name') }} as compact_name,
        {{ normalised_project_name('projects.project_name') }} as normalised_name
    from {{ ref('int_projects') }} as projects
    inner join {{ ref('int_reports') }} as reports on reports.report_key = projects.report_key
    left join aliases on aliases.alias_name = projects.department_name
),

decisions as (
    select
        {{ without_whitespace('department') }} as department_name,
        {{ without_whitespace('unit') }} as budget_unit_name,
        {{ without_whitespace('name_a') }} as name_a,
        {{ without_whitespace('name_b') }} as name_b,
        decision
    from {{ ref('confirmed_project_matches') }}
),

decided as (
    select
        projects.*,
        same.name_a as confirmed_same_as,
        exists (
            select 1 from decisions as different
            where different.decision = 'different'
                and different.department_name = projects.department_name
                and different.budget_unit_name = projects.budget_unit_name
                and projects.compact_name in (different.name_a, different.name_b)
        ) as confirmed_different
    from projects
    left join decisions as same
        on same.decision = 'same'
        and same.department_name = projects.department_name
        and same.budget_unit_name = projects.budget_unit_name
        and same.name_b = projects.compact_name
),

ruled as (
    select
        *,
        case
            when confirmed_different then 'exact:' || compact_name
            when confirmed_same_as is not null then coalesce({{ normalised_project_name('confirmed_same_as') }}, confirmed_same_as)
            else coalesce(normalised_name, compact_name)
        end as rule_name
    from decided
),

separated as (
    -- two projects of one report with one rule name are two projects: key them on their exact name
    select
        *,
        case
            when count(*) over (partition by report_key, budget_unit_name, rule_name) > 1
                then 'exact:' || compact_name
            else rule_name
        end as exact_or_rule_name
    from ruled
),

identity as (
    -- the same printed name twice in one report: the printed position tells them apart
    select
        *,
        case
            when count(*) over (partition by report_key, budget_unit_name, exact_or_rule_name) > 1
                then exact_or_rule_name || '#' || cast(project_seq as varchar)
            else exact_or_rule_name
        end as identity_name
    from separated
),

keyed as (
    select
        *,
        {{ surrogate_key(['department_name', 'budget_unit_name', 'identity_name']) }} as project_id
    from identity
)

select
    project_key,
    project_id,
    report_key,
    department_key,
    department_name,
    budget_unit_key,
    budget_unit_name,
    fiscal_year,
    report_kind,
    project_seq,
    project_name,
    normalised_name,
    identity_name,
    case
        when confirmed_same_as is not null then 'confirmed'
        when compact_name = first_value(compact_name) over (
            partition by project_id
            order by fiscal_year nulls last, report_kind <> 'targets', report_key, project_seq
        ) then 'exact'
        else 'normalised'
    end as match_rule,
    cast(case
        when confirmed_same_as is not null then 1.0
        when compact_name = first_value(compact_name) over (
            partition by project_id
            order by fiscal_year nulls last, report_kind <> 'targets', report_key, project_seq
        ) then 1.0
        else 0.9
    end as decimal(3, 2)) as match_confidence
from keyed
