"""Benchmarks of the nightly refresh at scale: ``python -m benchmarks.run [--quick]``.

Modules: ``corpus`` (synthetic PDF inboxes, cached under benchmarks/out/), ``measure`` (timing,
peak memory of process trees), ``extraction``, ``refresh``, ``dbt_scale``, ``queries`` (the
measurements) and ``report`` (results.json and docs/benchmarks.md).
"""
