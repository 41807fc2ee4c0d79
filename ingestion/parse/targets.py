"""Parse an indicator target (实施周期指标值 / 年度指标值) into operator, bounds and unit.

``parse_target`` never raises: whatever it cannot read as a numeric threshold is "qualitative".
operator and is_quantitative are None only for an empty cell: None, "", whitespace, or a cell that
holds only punctuation or a placeholder dash or slash ("。", "—", "/").

What counts as quantitative (the choices analysts rely on):

* The target is read from its LAST number, which must end the text: ``[label][op]N[unit][suffix]``.
  A label before it names what is counted and is kept only in the text ("选取商会大于等于10家" ->
  ">=" 10 家; "年度报告1份" -> "=" 1 份). A number in the middle of a sentence is not a target
  ("支持企业投资2500万元设备实现更新换代" is qualitative).
* A quantity that OPENS the text may be followed by a short noun or verb phrase naming what is
  counted ("8个服务区域" -> "=" 8 个; "100%完成经费筹集及划拨" -> "=" 100 %). The unit is the
  measure word; the counted noun stays in the text column.
* A trailing parenthetical note is ignored ("≥2（其中保税物流企业不低于1家）" -> ">=" 2).
* Scoring rules that state the threshold for full marks are quantitative, read from the part
  before "得满分" ("85%及以上得满分，否则每下降5%扣…" -> ">=" 85 %). Rules without a threshold
  ("有则得满分，否则酌情扣分") are qualitative. Any other text of several clauses is qualitative:
  it states several things, and one number picked out of it would misstate the target.
* Deadlines are qualitative with unit None ("2025年11月前", "6月底前", "2024.12"): a calendar
  point is not a magnitude, and mixing dates into the numeric low/high columns would corrupt every
  aggregate over them. Durations are quantitative ("1天内" -> "<=" 1 天, "不超5个工作日" -> "<=" 5
  个工作日). A bare number followed by 月 is a calendar month (durations are written 个月); a
  four-digit number from 1900 to 2100 followed by 年 is a year.
* Chinese numerals 零〇一二两三…十 are counts when followed by a measure word or ending the text
  ("一家律所" -> "=" 1 家, "聘请律所两家" -> "=" 2 家, "法律纠纷为零" -> "=" 0). Two idioms are not
  counts: "一批" ("a batch of", an unspecified amount) and "X次性" (an adjective, "one-off"); and
  an ordinal ("第一季度") never is. Ratios and fractions ("1:1", "1/2") are qualitative.
* 以上/以下/以内 are inclusive, as in Chinese administrative usage ("90%以上" -> ">=" 90 %).
  约/左右 (approximately) are read as "="; a sign is kept ("-5%" -> "=" -5 %).
* Percentages keep the printed number (90 for 90%) with unit "%". "人民币" after a money unit is
  dropped ("77亿元人民币" -> unit "亿元").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ingestion.parse.target_words import (
    CHINESE_NUMERALS,
    CLAUSE_BREAK,
    CN_DIGITS,
    COUNT_UNITS,
    LEADING_PUNCT,
    LONGEST_TAIL,
    NOT_A_UNIT,
    NUMBER_CONTINUES,
    PLACEHOLDER,
    PREFIX_RULES,
    QUANTITY,
    SCORE_AWARD,
    SUFFIX,
    SUFFIX_RULES,
    SYMBOL_FOLD,
    TRAILING_NOTE,
    TRAILING_PUNCT,
    UNIT,
    UNKNOWN_UNIT,
    WRAPPING_BRACKETS,
    YEAR_MONTH,
)


@dataclass(frozen=True)
class ParsedTarget:
    operator: str | None  # ">=", ">", "<=", "<", "=", "range", "qualitative"; None when empty
    low: float | None
    high: float | None
    unit: str | None
    is_quantitative: bool | None  # None when the text is None or empty


_EMPTY = ParsedTarget(None, None, None, None, None)
_QUALITATIVE = ParsedTarget("qualitative", None, None, None, False)


def parse_target(text: str | None) -> ParsedTarget:
    """Parse one target cell; see the module docstring for the rules. Never raises."""
    try:
        return _parse(text)
    except Exception:  # a parser bug must not lose the report: the raw text is kept anyway
        return _QUALITATIVE if text and text.strip() else _EMPTY


def _parse(text: str | None) -> ParsedTarget:
    body = _clean(text)
    if not body:
        return _EMPTY
    scoring = SCORE_AWARD.match(body)
    if scoring:
        body = _clean(scoring.group("condition"))
    if not body or CLAUSE_BREAK.search(body):
        return _QUALITATIVE
    return _parse_quantity(body) or _QUALITATIVE


def _clean(text: str | None) -> str:
    if not text:
        return ""
    body = text.translate(SYMBOL_FOLD).strip()
    body = LEADING_PUNCT.sub("", re.sub(r"\s+", " ", body))
    while True:
        stripped = TRAILING_NOTE.sub("", TRAILING_PUNCT.sub("", body))
        stripped = WRAPPING_BRACKETS.sub(r"\1", stripped).strip()
        if stripped == body:
            return "" if PLACEHOLDER.match(body) else body
        body = stripped


def _parse_quantity(body: str) -> ParsedTarget | None:
    matches = list(QUANTITY.finditer(body))
    if not matches:
        return None
    m = matches[-1]  # the target is the last number; it must end the text
    label, rest = body[: m.start()].strip(), body[m.end() :].strip()
    chinese = m.group("num")[0] in CHINESE_NUMERALS
    low = _number(m.group("num"))
    high = _number(m.group("num2")) if m.group("num2") else None
    if low is None or (m.group("num2") and high is None):
        return None
    if NUMBER_CONTINUES.search(label) or _is_calendar_date(label, m.group("num"), rest):
        return None
    if not rest and any(YEAR_MONTH.fullmatch(n) for n in (m.group("num"), m.group("num2")) if n):
        return None  # "2024.12", "2023.10-2024.3": year.month periods, not magnitudes
    # A counted noun may follow only a quantity that opens the text ("8个服务区域").
    split = _split_rest(rest, chinese, tail_allowed=not label and not m.group("unit1"))
    if split is None:
        return None  # a number inside a sentence, not a target
    unit, suffix = split
    if chinese and (unit == "批" and low == 1 or not unit and label and low != 0):
        return None  # "一批" means "a number of"; a bare numeral inside prose is not a count
    unit1 = _unit_name(m.group("unit1")) if m.group("unit1") else None
    if unit1 and unit and unit1 != unit:
        return None  # "2万元-3亿元": mixed units are not one range
    unit = unit or unit1
    operator = _combine(_operator(m.group("op"), PREFIX_RULES), _operator(suffix, SUFFIX_RULES))
    if operator is None:
        return None
    if high is not None:
        if operator != "=":
            return None  # "大于20-30次" has no single meaning
        low, high = min(low, high), max(low, high)
        return ParsedTarget("range", low, high, unit, True)
    if operator in (">=", ">"):
        return ParsedTarget(operator, low, None, unit, True)
    if operator in ("<=", "<"):
        return ParsedTarget(operator, None, low, unit, True)
    return ParsedTarget("=", low, low, unit, True)


def _split_rest(rest: str, chinese: bool, *, tail_allowed: bool) -> tuple[str, str] | None:
    """Read what follows the number as (unit, suffix word); None when it is not a unit.

    unit "" means no unit. When ``tail_allowed``, a counted noun may follow a count classifier or a
    unit ("8个服务区域", "100%完成…"), up to ``LONGEST_TAIL`` characters.
    """
    unit_match = UNIT.match(rest)
    unit = _unit_name(unit_match.group()) if unit_match else ""
    after_unit = rest[unit_match.end() :].strip() if unit_match else rest
    suffix_match = SUFFIX.match(after_unit)
    suffix = suffix_match.group() if suffix_match else ""
    tail = after_unit[len(suffix) :].strip()
    if not tail:
        return unit, suffix
    if not chinese and unit not in COUNT_UNITS:
        unknown = _unknown_unit(rest)  # "20分贝以上": 分 is a prefix of a unit missing from the lists
        if unknown:
            return unknown
    # "8个服务区域以上" would hide a comparison after the noun: too ambiguous to read.
    readable_tail = (
        len(tail) <= LONGEST_TAIL
        and not tail.startswith("性")  # "一次性": an adjective, not a count
        and not re.search(rf"(?:{SUFFIX.pattern})$", tail)
    )
    if tail_allowed and unit and readable_tail and (not chinese or unit in COUNT_UNITS):
        return unit, suffix  # a Chinese numeral only before a count word: "一家律所", not "十分满意"
    return None


def _unknown_unit(rest: str) -> tuple[str, str] | None:
    """A short unit missing from the lists ("5辆", "20分贝以上"), possibly with a suffix word."""
    for end in range(min(3, len(rest)), 0, -1):
        candidate, after = rest[:end], rest[end:].strip()
        if (
            (not after or SUFFIX.fullmatch(after))
            and UNKNOWN_UNIT.fullmatch(candidate)
            and not NOT_A_UNIT.search(candidate)
        ):
            return candidate, after
    return None


def _unit_name(unit: str) -> str:
    return unit.removesuffix("人民币")


def _is_calendar_date(label: str, num: str, rest: str) -> bool:
    """True when the last number is part of a date ("2025年11月前", "6月底前", "6月30日前")."""
    if rest.startswith("月"):  # durations are written 个月; a bare 月 is a month of the year
        return True
    if rest.startswith(("日", "号")) and re.search(r"月\s*$", label):
        return True
    return rest.startswith("年") and num.isdigit() and 1900 <= int(num) <= 2100


def _number(text: str) -> float | None:
    if text[0] in "0123456789-−":
        value = float(text.replace(",", "").replace("−", "-"))
        return value if math.isfinite(value) else None
    return _chinese_number(text)


def _chinese_number(text: str) -> float | None:
    """零 一 两 … 九, 十, 十N, N十, N十M; anything else (e.g. "一二") is not a number."""
    if len(text) == 1 and text in CN_DIGITS:
        return float(CN_DIGITS[text])
    m = re.fullmatch(r"([一二两三四五六七八九]?)十([一二三四五六七八九]?)", text)
    if not m:
        return None
    tens = CN_DIGITS[m.group(1)] if m.group(1) else 1
    ones = CN_DIGITS[m.group(2)] if m.group(2) else 0
    return float(tens * 10 + ones)


def _operator(word: str | None, rules: list[tuple[str, str]]) -> str | None:
    if not word:
        return None
    for pattern, operator in rules:
        if re.fullmatch(pattern, word):
            return operator
    return None


def _combine(prefix: str | None, suffix: str | None) -> str | None:
    """One operator from the word before and the word after the number; None when they conflict."""
    if prefix is None or prefix == "=":
        return suffix or "="
    if suffix is None or suffix == "=" or suffix == prefix:
        return prefix
    if prefix[0] == suffix[0]:  # "大于90%以上": same direction, the explicit word before wins
        return prefix
    return None
