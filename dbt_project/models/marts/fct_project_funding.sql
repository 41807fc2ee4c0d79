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
    projects.printed_amounts
from {{ ref('int_projects') }} as projects
inner join {{ ref('int_project_indicator_profile') }} as profile
    on profile.project_key = projects.project_key
