"""A full disk and a read-only warehouse folder: one clear line, the old warehouse intact.

Real conditions, not mocks: a tmpfs mounted read-only or sized to be nearly full (root may mount
here; where it may not, the tests skip and say so), and a non-root user facing a 0555 folder
(root ignores permissions).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from contract.errors import WarehouseError
from contract.files import WarehouseFiles
from publishing.disk import plain_write_errors
from tests.reliability import harness

pytestmark = pytest.mark.slow


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@contextmanager
def tmpfs(where: Path, size: str = "64m"):
    where.mkdir(parents=True, exist_ok=True)
    done = _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): needs root with CAP_SYS_ADMIN")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _one_error_line(stderr: str) -> str:
    """The CLI's error: one line, the last one (Dagster's warnings and progress may come before)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], lines[-5:]
    return errors[0]


def test_read_only_mount_is_refused_in_one_line_and_the_warehouse_stays(baseline, tmp_path):
    with tmpfs(tmp_path / "mnt") as mnt:
        published = harness.copy_warehouse(baseline.warehouse, mnt / "wh")
        done = _mount("-o", "remount,ro", str(mnt))
        assert done.returncode == 0, done.stderr
        refresh = harness.run(harness.refresh_args(baseline.inbox, published), timeout=300)
        assert refresh.returncode == 1
        line = _one_error_line(refresh.stderr)
        assert line.startswith(
            f"error: cannot write in {published.parent} (Read-only file system): "
            "nothing was published and the previous warehouse is untouched; "
            "make that folder writable"
        ), line
        assert harness.snapshot(published) == baseline.snapshot
        query = harness.run(
            harness.cli(
                "query", "SELECT count(*) AS n FROM dim_reports", "--format", "csv", "--warehouse", str(published)
            )
        )
        assert query.returncode == 0 and query.stdout.split() == ["n", "5"]


# User nobody, who may read and search any folder but write none he does not own. Reading
# matters where the interpreter lives in a private folder (pyenv under /root, mode 0700): setpriv
# itself still holds root's capabilities when it starts Python, but every process Python starts in
# turn (the resource tracker that dagster-dbt's manifest lock spawns, dbt's workers) would be
# refused, and the refresh would die before it looks at the warehouse. CAP_DAC_READ_SEARCH, kept
# across those execs as an ambient capability, bypasses read and search checks only; a write still
# faces the folder's 0555, which is what the test is about.
AS_NOBODY = [
    "setpriv",
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
    "--inh-caps=+dac_read_search",
    "--ambient-caps=+dac_read_search",
]


def _nobody_can_run_python() -> str | None:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return "needs root and setpriv to switch to user nobody"
    nested_start = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import duckdb, typer'], check=True)"
    probe = subprocess.run([*AS_NOBODY, harness.PYTHON, "-c", nested_start], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"user nobody cannot run this interpreter ({harness.PYTHON}): {probe.stderr.strip()[-200:]}"
    return None


def test_folder_without_write_permission_is_refused_for_a_non_root_user(baseline):
    reason = _nobody_can_run_python()
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="budget-ro-"))
    try:
        os.chmod(root, 0o755)
        published = harness.copy_warehouse(baseline.warehouse, root / "wh")
        inbox = shutil.copytree(baseline.inbox, root / "inbox")
        for path in [root, *root.rglob("*")]:
            os.chmod(path, 0o555 if path.is_dir() else 0o444)
        refresh = subprocess.run(
            [*AS_NOBODY, *harness.refresh_args(inbox, published)],
            cwd=harness.REPO_ROOT,
            env=harness.child_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert refresh.returncode == 1
        line = _one_error_line(refresh.stderr)
        assert "(Permission denied): nothing was published and the previous warehouse is untouched" in line, line
        assert harness.snapshot(published) == baseline.snapshot
    finally:
        for path in [root, *root.rglob("*")]:
            os.chmod(path, 0o755)
        shutil.rmtree(root)


def test_nearly_full_disk_is_refused_with_what_to_do_and_the_warehouse_stays(baseline, tmp_path):
    with tmpfs(tmp_path / "mnt") as mnt:
        published = harness.copy_warehouse(baseline.warehouse, mnt / "wh")
        used = shutil.disk_usage(mnt).used
        done = _mount("-o", f"remount,size={used + 4 * 2**20}", str(mnt))  # 4 MiB left
        assert done.returncode == 0, done.stderr
        refresh = harness.run(harness.refresh_args(baseline.inbox, published), timeout=300)
        assert refresh.returncode == 1
        line = _one_error_line(refresh.stderr)
        assert (
            f"the disk holding {published.parent / '.budget'} is full (4.0 MiB free, a refresh needs about "
            "32 MiB)" in line
        ), line
        assert "free some space there (or move the warehouse with --warehouse) and run the refresh again" in line
        assert harness.snapshot(published) == baseline.snapshot
        layout = WarehouseFiles(published)
        assert list(layout.state_dir.glob("candidate-*")) == []


def test_disk_filling_up_while_writing_is_said_plainly(tmp_path):
    """A real ENOSPC from DuckDB in the middle of writing (no preflight involved)."""
    with tmpfs(tmp_path / "mnt", size="2m") as mnt:
        path = mnt / "candidate.duckdb"
        with pytest.raises(WarehouseError) as raised, plain_write_errors(mnt):
            con = duckdb.connect(str(path))
            try:
                con.execute("CREATE TABLE t AS SELECT range AS v, md5(range::VARCHAR) AS h FROM range(500000)")
                con.execute("CHECKPOINT")
            finally:
                con.close()
        assert str(raised.value).startswith(
            f"the disk holding {mnt} is full (No space left on device): nothing was published"
        )
