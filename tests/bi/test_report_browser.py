"""The report as a browser shows it: headless Chromium renders the charts and Chinese text.

Skipped where /usr/bin/chromium is absent (Debian: apt-get install -y chromium). Only file:// is
loaded and every network feature Chromium has is switched off.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from budget_etl.html_report import PALETTE, render_report

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless Chromium not installed (/usr/bin/chromium; Debian: apt-get install -y chromium)",
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )


@pytest.fixture
def report(published, tmp_path):
    return render_report(published, tmp_path / "report.html")


def test_dom_after_rendering_holds_the_charts(report, tmp_path):
    dom = _chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    svgs = re.findall(r"<svg class=\"chart\".*?</svg>", dom, flags=re.S)
    assert len(svgs) == 4
    assert [len(re.findall(r'<rect class="mark"', svg)) for svg in svgs] == [4, 3, 9, 4]
    assert "广州市白云区人民政府办公室" in dom


def test_screenshot_shows_the_charts(report, tmp_path):
    from PIL import Image

    shot = tmp_path / "report.png"
    _chromium(tmp_path, "--window-size=1000,2400", f"--screenshot={shot}", report.as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (1000, 2400)
    colors = image.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50  # text and bars, not a blank page
    counts = {rgb: n for n, rgb in colors}
    for hex_color in PALETTE[:3]:  # the first three series colours are painted as bars
        rgb = tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) > 500, hex_color
