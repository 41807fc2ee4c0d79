-- One row per department named by at least one report.
select distinct
    department_key,
    department_name,
    department_region as region,
    department_admin_level as admin_level
from {{ ref('int_reports') }}
where department_key is not null
