"""Decoding and line splitting of text extracts."""

from __future__ import annotations

import codecs

import pytest

from ingestion.model import ReportRejected
from ingestion.text.encoding import decode_report_bytes, split_lines

TEXT = "项目支出绩效目标表（含转移支付项目）\n部门名称：广州市白云区工商业联合会\n"


def test_utf8_without_bom():
    decoded = decode_report_bytes(TEXT.encode("utf-8"))
    assert decoded.text == TEXT
    assert decoded.encoding == "utf-8"


def test_utf8_with_bom_drops_the_bom():
    decoded = decode_report_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert decoded.text == TEXT
    assert decoded.encoding == "utf-8-sig"


def test_gb18030_and_gbk_bytes():
    for codec in ("gb18030", "gbk"):
        decoded = decode_report_bytes(TEXT.encode(codec))
        assert decoded.text == TEXT
        assert decoded.encoding == "gb18030"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file (0 bytes)"),
        (b" \r\n\n\t ", "empty file (only whitespace)"),
        (b"\x00\x01\x02abc" * 10, "not a text file: it contains NUL bytes"),
        (bytes(range(128, 256)) * 4, "not a text file: bytes are neither UTF-8 nor GB18030"),
        (
            codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
            "text is UTF-16 encoded; only UTF-8 and GB18030 are supported",
        ),
    ],
)
def test_rejections_name_the_problem(data, reason):
    with pytest.raises(ReportRejected) as info:
        decode_report_bytes(data)
    assert info.value.reason == reason


def test_many_control_characters_mean_binary():
    data = ("abc\x07\x1b" * 50).encode("ascii")
    with pytest.raises(ReportRejected) as info:
        decode_report_bytes(data)
    assert info.value.reason == "not a text file: 100 control characters"


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_line_endings_give_the_same_numbered_lines(ending):
    text = ending.join(["a", "", "    b c", "d"]) + ending
    lines = split_lines(text)
    assert [(line.number, line.text, line.page) for line in lines] == [
        (1, "a", None),
        (2, "", None),
        (3, "    b c", None),
        (4, "d", None),
    ]


def test_unicode_line_separators_do_not_split_lines():
    # str.splitlines would split on these; a text extract line does not end there.
    lines = split_lines("a\u2028b\x1cc\nd")
    assert [line.text for line in lines] == ["a\u2028b\x1cc", "d"]


def test_form_feeds_number_pages():
    lines = split_lines("title\nrow 1\f\nrow 2\n\frow 3\nrow 4")
    assert [(line.number, line.text, line.page) for line in lines] == [
        (1, "title", 1),
        (2, "row 1", 1),
        (3, "row 2", 2),
        (4, "row 3", 3),
        (5, "row 4", 3),
    ]
