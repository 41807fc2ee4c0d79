"""Chinese by default, English on request: the catalogue, the CLI summary and status, the HTML report."""

from __future__ import annotations

import re

import pytest

from budget_etl.html_report import render_report
from budget_etl.i18n import CATALOGUE, LANG_ENV, LANGUAGES, UnknownLanguage, language, speaking, t


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, texts in CATALOGUE.items():
        assert set(texts) == set(LANGUAGES), key
        placeholders = {lang: set(re.findall(r"\{(\w+)", texts[lang])) for lang in LANGUAGES}
        assert placeholders["zh"] == placeholders["en"], key


def test_chinese_unless_asked_otherwise(monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    assert language() == "zh" and t("html.overview") == "概览"
    monkeypatch.setenv(LANG_ENV, "en")
    assert t("html.overview") == "Overview"
    with speaking("zh"):  # --lang wins over the environment, for the block only
        assert t("html.overview") == "概览"
    assert language() == "en"
    monkeypatch.setenv(LANG_ENV, "fr")
    with pytest.raises(UnknownLanguage, match="use one of zh, en"):
        language()


def test_status_speaks_chinese_by_default_and_english_on_request(cli, warehouse_copy, monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    chinese = cli("status", "--warehouse", warehouse_copy)
    assert chinese.exit_code == 0, chinese.output
    assert "上次运行: 无记录" in chinese.stdout and "下次计划运行: " in chinese.stdout
    assert "项目数" in chinese.stdout and "指标数" in chinese.stdout
    assert "共 5 份报表、78 个项目、368 条指标，总计 68,820.68 万元 (项目金额之和)" in chinese.stdout
    row = next(line for line in chinese.stdout.splitlines() if "001_482cb6efc95f57e9.txt" in line)
    assert "642.39 (项目之和 642.38)" in row
    english = cli("status", "--lang", "en", "--warehouse", warehouse_copy)
    assert "5 reports, 78 projects, 368 indicators, total 68,820.68 万元 (sum of projects)" in english.stdout
    assert "last attempt: none recorded" in english.stdout and "项目数" not in english.stdout
    refused = cli("status", "--lang", "fr", "--warehouse", warehouse_copy)
    assert refused.exit_code == 1 and "unknown language 'fr'" in refused.stderr


def test_the_html_report_speaks_chinese_by_default_and_english_on_request(
    cli, samples_warehouse, tmp_path, monkeypatch
):
    monkeypatch.delenv(LANG_ENV, raising=False)
    chinese = render_report(samples_warehouse, tmp_path / "zh.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in chinese
    for heading in (
        "概览",
        "各部门资金 (万元)",
        "各资金来源金额 (万元)",
        "一级指标构成",
        "各部门量化指标占比",
        "隔离文件",
    ):
        assert f">{heading}</h2>" in chinese
    assert "Overview" not in chinese and "Funding by department" not in chinese
    assert "<th>来源文件</th><th>主管部门</th><th>版式</th><th>预算年度</th>" in chinese  # meta.label_zh
    result = cli("report", "--lang", "en", "--warehouse", samples_warehouse, "--out", tmp_path / "en.html")
    assert result.exit_code == 0, result.output
    english = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert (
        '<html lang="en">' in english
        and ">Overview</h2>" in english
        and ">Funding by department (万元)</h2>" in english
    )
    assert "概览" not in english and "<th>source_file</th><th>department_name</th>" in english
