"""The report as a browser shows it: headless Chromium renders the charts and the Chinese text.

Skipped where /usr/bin/chromium is absent (Debian: apt-get install -y chromium). Only file:// is
loaded and every network feature Chromium has is switched off. The font test hides every system
font (an empty fontconfig), as on a machine without Chinese fonts.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from budget_etl.html_report import render_report
from budget_etl.html_report.svg_charts import PALETTE

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
    # Screenshots wait for pending loads (the embedded web font is decoded asynchronously; on a busy
    # machine an immediate screenshot caught the text still invisible).
    "--virtual-time-budget=15000",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless Chromium not installed (/usr/bin/chromium; Debian: apt-get install -y chromium)",
)


def _chromium(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
        env=env,
    )


@pytest.fixture
def report(samples_warehouse, tmp_path):
    return render_report(samples_warehouse, tmp_path / "report.html")


def test_dom_after_rendering_holds_the_charts(report, tmp_path):
    dom = _chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    svgs = re.findall(r"<svg class=\"chart\".*?</svg>", dom, flags=re.S)
    assert len(svgs) == 4
    assert all(re.search(r'<rect class="mark"', svg) for svg in svgs)
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
    for hex_color in PALETTE[:1]:  # the first series colour (财政拨款) is painted as bars
        rgb = tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) > 500, hex_color


# Characters no font has a glyph for (private use area): drawn as boxes, "tofu".
TOFU = "\ue000\ue001\ue002\ue003\ue004\ue005"
CJK = "项目支出绩效"  # on the report page, so in its embedded subset


def _shot_without_system_fonts(tmp_path: Path, style: str, line: str) -> bytes:
    from PIL import Image

    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig></fontconfig>\n', encoding="utf-8")
    page = tmp_path / f"line-{len(list(tmp_path.glob('line-*')))}.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{style}</style></head>'
        f'<body style="margin:0"><p style="font-size:48px;margin:8px">{line}</p></body></html>',
        encoding="utf-8",
    )
    shot = page.with_suffix(".png")
    env = {**os.environ, "FONTCONFIG_FILE": str(empty)}
    for _attempt in range(3):  # a blank shot means the text was not drawn yet (font still decoding): shoot again
        _chromium(tmp_path, "--window-size=400,80", f"--screenshot={shot}", page.as_uri(), env=env)
        pixels = Image.open(shot).convert("L").tobytes()
        if min(pixels) < 128:
            break
    return pixels


def test_chinese_is_drawn_without_any_system_font(report, tmp_path):
    style = re.search(r"<style>(.*?)</style>", report.read_text(encoding="utf-8"), flags=re.S).group(1)
    with_font_cjk = _shot_without_system_fonts(tmp_path, style, CJK)
    with_font_tofu = _shot_without_system_fonts(tmp_path, style, TOFU)
    assert with_font_cjk != with_font_tofu  # real glyphs, not six boxes
    assert sum(1 for px in with_font_cjk if px < 128) > 500  # and ink on the page
    # The control: without the embedded font the same characters are six boxes like the tofu.
    no_font = style.split("@font-face", 1)[0] + style.split("}", 1)[1]
    assert _shot_without_system_fonts(tmp_path, no_font, CJK) == _shot_without_system_fonts(tmp_path, no_font, TOFU)
