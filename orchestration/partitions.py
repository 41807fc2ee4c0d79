"""One Dagster partition per report file of the inbox (dynamic: files come and go).

The partitions are a per-report record (asset ``report_files``), not a way to run part of the
refresh: the refresh job is not partitioned. The key is the file's path relative to the inbox; the
few substrings Dagster refuses in a key ("...", control characters) are replaced.
"""

from dagster import DagsterInstance, DynamicPartitionsDefinition
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from ingestion.inbox import InboxFile

report_files = DynamicPartitionsDefinition(name="report_files")


def partition_key(source_file: str) -> str:
    key = source_file.replace("...", "…")
    return "".join("_" if ch in "\a\b\f\n\r\t\v\0" else ch for ch in key)


def partition_changes(registered: list[str], files: list[InboxFile]) -> tuple[list[str], list[str]]:
    """(keys to add, keys to delete) to make the registered partitions match the inbox."""
    current = [partition_key(f.source_file) for f in files]
    known = set(registered)
    return [k for k in current if k not in known], sorted(known - set(current))


def sync_report_partitions(instance: DagsterInstance, files: list[InboxFile]) -> list[str]:
    """Register the inbox's files as partitions (and drop departed ones); returns all keys, in order."""
    add, delete = partition_changes(instance.get_dynamic_partitions(report_files.name), files)
    if add:
        instance.add_dynamic_partitions(report_files.name, add)
    for key in delete:
        instance.delete_dynamic_partition(report_files.name, key)
    return instance.get_dynamic_partitions(report_files.name)


def full_range_tags(keys: list[str]) -> dict[str, str]:
    """Partition range tags over every report, for callers still tagging runs with them.

    Not needed: the refresh job is not partitioned and every run reads the whole inbox.
    """
    return {ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]}
