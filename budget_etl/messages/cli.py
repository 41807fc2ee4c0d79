"""What the CLI prints, in Chinese and English: the summary after a refresh and ``status``
(including the change feed line). Keys are looked up by ``budget_etl.i18n.t``."""

CLI_MESSAGES: dict[str, dict[str, str]] = {
    # CLI: the summary table after a refresh and in status
    "summary.title": {"zh": "已发布 {path}", "en": "Published {path}"},
    "col.report": {"zh": "报表文件", "en": "report"},
    "col.department": {"zh": "主管部门", "en": "department"},
    "col.layout": {"zh": "版式", "en": "layout"},
    "layout.self_evaluation": {"zh": "{layout} · 自评表", "en": "{layout} · self-evaluation"},
    "col.year": {"zh": "年度", "en": "year"},
    "col.projects": {"zh": "项目数", "en": "projects"},
    "col.indicators": {"zh": "指标数", "en": "indicators"},
    "col.amount": {"zh": "合计 (万元)", "en": "合计 (万元)"},
    "col.warnings": {"zh": "警告", "en": "warnings"},
    "amount.rows_only": {"zh": "{computed} (项目之和)", "en": "{computed} (rows)"},
    "amount.rows_differ": {"zh": "{printed} (项目之和 {computed})", "en": "{printed} (rows {computed})"},
    "summary.more": {
        "zh": "另有 {hidden} 份报表未列出：`budget-etl report` 或查询 main.dim_reports 可见全部",
        "en": "{hidden} more reports not listed: `budget-etl report` or main.dim_reports has them all",
    },
    "summary.totals": {
        "zh": "共 {reports} 份报表、{projects} 个项目、{indicators} 条指标，总计 {total} (项目金额之和)",
        "en": "{reports} reports, {projects} projects, {indicators} indicators, total {total} (sum of projects)",
    },
    "quarantine.published": {"zh": "份文件在已发布版本中被隔离", "en": "quarantined in the published version"},
    "quarantine.run": {"zh": "份文件在该次运行中被隔离", "en": "quarantined in that run"},
    # CLI: status
    "status.removed_published": {
        "zh": "自上次发布以来已移除 (文件已离开收件箱): {files}",
        "en": "removed since the last publish (their files left the inbox): {files}",
    },
    "status.removed_kept": {
        "zh": "自上次发布以来已离开收件箱 (仍在发布版本中): {files}",
        "en": "gone from the inbox since the last publish (still published): {files}",
    },
    "status.no_attempt": {
        "zh": "上次运行: 无记录 (尚未对此数据仓库运行过刷新)",
        "en": "last attempt: none recorded (no refresh has run against this warehouse yet)",
    },
    "status.attempt": {
        "zh": "上次运行: {finished_at} {outcome} (运行 {run_id}, 由 {started_by} 启动)",
        "en": "last attempt: {finished_at} {outcome} (run {run_id}, started by {started_by})",
    },
    "status.cause": {"zh": "  原因: {cause}", "en": "  cause: {cause}"},
    "status.log": {"zh": "  日志: {log}", "en": "  log: {log}"},
    "status.data_docs": {"zh": "  质量检查报告 (Data Docs): {uri}", "en": "  data docs of its gate: {uri}"},
    "status.nothing_published": {
        "zh": "{path} 尚未发布任何内容: 请先解决上面的原因，再运行 `budget-etl refresh`",
        "en": "nothing published at {path} yet: fix the cause above, then run `budget-etl refresh` again",
    },
    "status.published": {
        "zh": "已发布: 运行 {run_id}，刷新于 {refreshed_at}，收件箱 {inbox}",
        "en": "published: run {run_id}, refreshed at {refreshed_at}, from inbox {inbox}",
    },
    "status.next_run": {
        "zh": "下次计划运行: {at} ({zone}, cron {cron!r}，需 Dagster daemon 运行)",
        "en": "next scheduled run: {at} ({zone}, cron {cron!r}, when the Dagster daemon runs)",
    },
    "unknown": {"zh": "未知", "en": "unknown"},
    # CLI: status, the change feed of the published version (main.publish_changes)
    "status.changes": {
        "zh": "自上次发布 (运行 {run_id}) 以来: {parts}",
        "en": "since the previous publish (run {run_id}): {parts}",
    },
    "status.first_publish": {
        "zh": "变化: 首次发布，没有可比较的上一版本",
        "en": "changes: first publish, nothing to compare with",
    },
    "status.changes_unavailable": {
        "zh": "变化: 未与上一版本比较 ({reason})",
        "en": "changes: not compared with the previous version ({reason})",
    },
    "change.none": {"zh": "无变化", "en": "no change"},
    "change.separator": {"zh": "，", "en": ", "},
    "change.report": {"zh": "份报表", "en": "report"},
    "change.reports": {"zh": "份报表", "en": "reports"},
    "change.project": {"zh": "个项目", "en": "project"},
    "change.projects": {"zh": "个项目", "en": "projects"},
    "change.reports_added": {"zh": "新增 {n} {noun}", "en": "+{n} {noun}"},
    "change.reports_removed": {"zh": "移除 {n} {noun}", "en": "-{n} {noun}"},
    "change.reports_changed": {"zh": "{n} {noun}重新发布 (文件已更改)", "en": "{n} {noun} re-issued (file changed)"},
    "change.projects_added": {"zh": "新增 {n} {noun}", "en": "+{n} {noun}"},
    "change.projects_removed": {"zh": "移除 {n} {noun}", "en": "-{n} {noun}"},
    "change.projects_changed": {
        "zh": "{n} {noun}金额变化 ({delta} 万元)",
        "en": "{n} {noun} with changed amounts ({delta} 万元)",
    },
    "change.total": {"zh": "总计 {delta} 万元", "en": "total {delta} 万元"},
}
