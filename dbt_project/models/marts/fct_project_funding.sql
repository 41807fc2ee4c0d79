-- One row per project of a target table (项目支出绩效目标表) with its funding. A self-evaluation's
-- projects are not target-table projects: their budget and spending are in fct_project_execution,
-- tied to these rows by project_id.
select
    projects.project_key,
    projects.report_key,
    projects.department_key,
    projects.budget_unit_key,
    projects.project_seq,
    projects.budget_unit_name,
    projects.project_name,
    projects.has_amounts,
    projects.total_amount,
    projects.fiscal_amount,
    projects.special_account_amount,
    projects.other_amount,
    projects.amounts_inferred,
    projects.goal,
    profile.indicator_count,
    projects.source_page,
    projects.source_row,
    projects.multi_year_total as multi_year_total_amount,
    projects.amount_unit,
    projects.printed_amounts,
    identity.fiscal_year,
    identity.project_id
from {{ ref('int_projects') }} as projects
inner join {{ ref('int_project_identity') }} as identity on identity.project_key = projects.project_key
inner join {{ ref('int_project_indicator_profile') }} as profile
    on profile.project_key = projects.project_key
where identity.report_kind = 'targets'
