"""Write-audit-publish: build a candidate warehouse, let the gate judge it, publish it atomically.

Below orchestration (which only sequences these steps as Dagster assets) and above the gates,
ingestion and the contract. Readers of the published file only ever open it read-only
(``publishing.connections``).
"""
