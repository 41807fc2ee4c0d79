"""Word documents (.docx) whose table is a real Word table: read through the same grid path as sheets and pages."""

from __future__ import annotations

import docx
import pytest

from ingestion.model import ReportRejected
from ingestion.word.reader import read_docx_report
from tests.fixtures.office_generator import save_report
from tests.fixtures.pdf_generator import spec_from_parsed_report
from tests.ingestion.conftest import SAMPLE_STEMS, assert_reads_like, sha256


def _read(path):
    return read_docx_report(path, source_file=path.name, file_sha256=sha256(path))


@pytest.mark.parametrize("shape", ["per_project", "per_indicator"])
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_word_table_reads_like_text(stem, shape, tmp_path, sample_reports):
    path = save_report(spec_from_parsed_report(sample_reports[stem]), tmp_path / f"{stem}.docx", shape)
    report = _read(path)
    assert_reads_like(report, sample_reports[stem], indicator_rows=shape == "per_indicator")
    assert (report.layout, report.fiscal_year, report.source_parts) == ("docx", 2025, ["table 1"])


def test_forms_one_word_table_per_project(tmp_path, sample_reports):
    want = sample_reports["003_cdfe4f5fefb7849c"]
    report = _read(save_report(spec_from_parsed_report(want), tmp_path / "forms.docx", "forms"))
    assert [(p.name, p.amounts, p.goal, len(p.indicators)) for p in report.projects] == [
        (p.name, p.amounts, p.goal, len(p.indicators)) for p in want.projects
    ]
    assert [p.source_page for p in report.projects] == [1, 2, 3, 4, 5, 6]


def test_document_without_a_word_table_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("项目名称\t总计\t绩效目标\t绩效指标")  # a table drawn with tabs is not a Word table
    document.save(str(tmp_path / "tabs.docx"))
    with pytest.raises(ReportRejected, match="without any Word table"):
        _read(tmp_path / "tabs.docx")
