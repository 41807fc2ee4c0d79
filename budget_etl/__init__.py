"""budget-etl: 项目支出绩效目标表 reports to a gated, published DuckDB warehouse."""
