-- Each project (project_id) per fiscal year of its department: funding in total and by source,
-- the change against the department's previous published year, and whether the project is new,
-- continued or discontinued that year. A discontinued project gets a row in the first year its
-- department published without it, with zero amounts, so the change shows the funding it lost.
-- Target tables only: a self-evaluation restates a year's projects, it does not fund them again.
with identity as (
    select * from {{ ref('int_project_identity') }}
),

funding as (
    select
        identity.project_id,
        identity.fiscal_year,
        any_value(identity.department_key) as department_key,
        any_value(identity.department_name) as department_name,
        any_value(identity.budget_unit_name) as budget_unit_name,
        max_by(identity.project_name, identity.project_seq) as project_name,
        min(identity.match_confidence) as match_confidence,
        count(*) as printed_project_count,
        sum(projects.total_amount) as total_amount,
        sum(projects.fiscal_amount) as fiscal_amount,
        sum(projects.special_account_amount) as special_account_amount,
        sum(projects.other_amount) as other_amount
    from identity
    inner join {{ ref('int_projects') }} as projects on projects.project_key = identity.project_key
    where identity.fiscal_year is not null and identity.report_kind = 'targets'
    group by identity.project_id, identity.fiscal_year
),

department_years as (
    -- the years each department published, each with the department's previous published year
    select
        department_name,
        fiscal_year,
        lag(fiscal_year) over (partition by department_name order by fiscal_year) as previous_fiscal_year
    from (select distinct department_name, fiscal_year from funding)
),

present as (
    select
        funding.*,
        department_years.previous_fiscal_year,
        previous.total_amount as previous_total_amount,
        case
            when department_years.previous_fiscal_year is null then 'first_report'
            when previous.project_id is null then 'new'
            else 'continued'
        end as project_status
    from funding
    inner join department_years
        on department_years.department_name = funding.department_name
        and department_years.fiscal_year = funding.fiscal_year
    left join funding as previous
        on previous.project_id = funding.project_id
        and previous.fiscal_year = department_years.previous_fiscal_year
),

discontinued as (
    select
        previous.project_id,
        department_years.fiscal_year,
        previous.department_key,
        previous.department_name,
        previous.budget_unit_name,
        previous.project_name,
        previous.match_confidence,
        0 as printed_project_count,
        0 as total_amount,
        0 as fiscal_amount,
        0 as special_account_amount,
        0 as other_amount,
        department_years.previous_fiscal_year,
        previous.total_amount as previous_total_amount,
        'discontinued' as project_status
    from department_years
    inner join funding as previous
        on previous.department_name = department_years.department_name
        and previous.fiscal_year = department_years.previous_fiscal_year
    where not exists (
        select 1 from funding as current_year
        where current_year.project_id = previous.project_id
            and current_year.fiscal_year = department_years.fiscal_year
    )
),

history as (
    select * from present
    union all
    select * from discontinued
)

select
    {{ surrogate_key(['project_id', 'fiscal_year']) }} as project_year_key,
    project_id,
    cast(fiscal_year as integer) as fiscal_year,
    department_key,
    department_name,
    budget_unit_name,
    project_name,
    project_status,
    cast(printed_project_count as integer) as printed_project_count,
    cast(match_confidence as decimal(3, 2)) as match_confidence,
    cast(total_amount as decimal(18, 2)) as total_amount,
    cast(fiscal_amount as decimal(18, 2)) as fiscal_amount,
    cast(special_account_amount as decimal(18, 2)) as special_account_amount,
    cast(other_amount as decimal(18, 2)) as other_amount,
    cast(previous_fiscal_year as integer) as previous_fiscal_year,
    cast(previous_total_amount as decimal(18, 2)) as previous_total_amount,
    cast(total_amount - previous_total_amount as decimal(18, 2)) as change_amount,
    cast(
        round(100 * (total_amount - previous_total_amount) / nullif(previous_total_amount, 0), 2) as decimal(9, 2)
    ) as change_pct
from history
