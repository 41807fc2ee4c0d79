-- The funding of each project in long form: one row per project and funding source, for every
-- project whose report prints amounts (explicit zeros included, so each such project has one
-- row per source and the sources add up to its 总计 when the row reconciles). Target tables only,
-- as fct_project_funding.
with projects as (
    select projects.*, identity.fiscal_year, identity.project_id
    from {{ ref('int_projects') }} as projects
    inner join {{ ref('int_project_identity') }} as identity on identity.project_key = projects.project_key
    where projects.has_amounts and identity.report_kind = 'targets'
),

fund_sources as (
    select fund_source from {{ ref('fund_sources') }}
)

select
    {{ surrogate_key(['projects.project_key', 'fund_sources.fund_source']) }} as funding_key,
    projects.project_key,
    projects.report_key,
    projects.department_key,
    projects.budget_unit_key,
    fund_sources.fund_source,
    cast(
        case fund_sources.fund_source
            when 'fiscal' then projects.fiscal_amount
            when 'special_account' then projects.special_account_amount
            when 'other' then projects.other_amount
        end as decimal(18, 2)
    ) as amount,
    projects.fiscal_year,
    projects.project_id
from projects
cross join fund_sources
