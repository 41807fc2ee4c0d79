"""Two small faults of text assembly: a glyph carrying two characters, a space between two names."""

from __future__ import annotations

import pytest

from ingestion.parse.normalize import normalize_cell, squeeze_spaces
from ingestion.pdf.chars import dedupe_chars, without_doubles


def _char(text: str, x0: float, width: float = 7.0) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": 10.0, "bottom": 17.0, "size": 7.0, "fontname": "F"}


def test_a_glyph_holding_two_dashes_keeps_both():
    """「——」 drawn as one glyph holding two U+2014 in one box: not a simulated-bold double."""
    glyph = [_char("“", 3), _char("—", 10, 14), _char("—", 10, 14), _char("”", 24)]
    assert "".join(c["text"] for c in dedupe_chars(glyph)) == "“——”"
    bold = glyph + [dict(c, x0=c["x0"] + 0.3, x1=c["x1"] + 0.3) for c in glyph]  # the whole line drawn again
    assert "".join(c["text"] for c in without_doubles(bold)) == "“——”"


def test_simulated_bold_doubles_still_go():
    line = [_char("项", 10), _char("目", 17)]
    bold = line + [dict(c, x0=c["x0"] + 0.3, x1=c["x1"] + 0.3) for c in line]
    assert "".join(c["text"] for c in without_doubles(bold)) == "项目"


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        (
            "《广州市人民政府 广州市白云区人民政府 北京大学共同支持…》",
            "《广州市人民政府 广州市白云区人民政府 北京大学共同支持…》",
        ),
        ("项目评审验收跟踪服务工 经费", "项目评审验收跟踪服务工经费"),
        ("广州市人民政府 办公室", "广州市人民政府办公室"),
        ("绩效 目标", "绩效目标"),
        ("Windows Server 2019", "Windows Server 2019"),
    ],
)
def test_spaces_between_names_kept_stray_spaces_dropped(printed, read):
    assert squeeze_spaces(printed) == read
    assert normalize_cell(printed) == read
