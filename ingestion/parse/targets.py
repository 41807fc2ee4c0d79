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


@dataclass(frozen=True)
class ParsedTarget:
    operator: str | None  # ">=", ">", "<=", "<", "=", "range", "qualitative"; None when empty
    low: float | None
    high: float | None
    unit: str | None
    is_quantitative: bool | None  # None when the text is None or empty


# Fullwidth and small-form symbols the caller's look-alike folding leaves alone.
_SYMBOL_FOLD = str.maketrans({"％": "%", "﹪": "%", "＞": ">", "＜": "<", "＝": "=", "～": "~"})

_EMPTY = ParsedTarget(None, None, None, None, None)
_QUALITATIVE = ParsedTarget("qualitative", None, None, None, False)

# Comparison words written BEFORE the number, in priority order. Within one alternation, longer
# spellings come first so that "大于等于" is not read as "大于" and "不少于" not as "少于".
_PREFIX_RULES: list[tuple[str, str]] = [
    # at least: symbols (≧ is the JIS form some producers emit) and the usual wordings; 达 ("reach")
    # but not the verbs 下达 送达 到达 … that merely end in it
    (r"大于或?等于|≥|≧|⩾|>=|不少于|不低于|不小于|至少|最少|达到|(?<![下到送抵传表发])达", ">="),
    # at most; 不超 is the clipped form of 不超过, 控制在 means "kept within"
    (r"小于或?等于|≤|≦|⩽|<=|不得超过|不超过|不超出|不超|不高于|不大于|不多于|最多|至多|控制在", "<="),
    # strictly more
    (r"大于|超过|高于|多于|>", ">"),
    # strictly less; 不足 = "short of"
    (r"小于|低于|少于|不足|<", "<"),
    # exactly, or approximately (约)
    (r"等于|=|为|约", "="),
]

# Words written AFTER the number and its unit, in priority order (longer spellings first).
_SUFFIX_RULES: list[tuple[str, str]] = [
    # "N以上" is inclusive in Chinese usage: 90%以上 means at least 90%
    (r"及以上|或以上|以上", ">="),
    # "N以下", "N以内", "N天内": inclusive upper bounds
    (r"及以下|或以下|以下|以内|之内|内", "<="),
    # "N左右": approximately N
    (r"左右", "="),
]

# Measure words and units a number may carry, longest first when compiled. Count classifiers can
# introduce a counted noun ("8个服务区域"); measures (time, area, money, score, %) cannot, for a
# Chinese numeral before them is usually part of a word ("十分满意").
_COUNT_UNITS = [
    "家次",
    "户次",
    "人次",
    "场次",
    "批次",
    "个",
    "家",
    "户",
    "人",
    "名",
    "位",
    "次",
    "场",
    "批",
    "期",
    "篇",
    "项",
    "件",
    "套",
    "台",
    "辆",
    "部",
    "本",
    "册",
    "份",
    "张",
    "条",
    "所",
    "座",
    "处",
    "栋",
    "幢",
    "间",
    "层",
    "宗",
    "种",
    "类",
    "门",
    "课时",
    "学时",
    "节",
    "组",
    "支",
    "队",
    "棵",
    "株",
    "只",
    "轮",
    "届",
    "单",
    "笔",
    "例",
    "起",
    "首",
    "幅",
    "块",
    "点位",
]
_MEASURE_UNITS = [
    "平方米",
    "平方公里",
    "平米",
    "㎡",
    "m²",
    "立方米",
    "亩",
    "公顷",
    "公里",
    "千米",
    "米",
    "km",
    "吨",
    "千克",
    "公斤",
    "kg",
    "升",
    "千瓦时",
    "千瓦",
    "个工作日",
    "工作日",
    "个小时",
    "小时",
    "分钟",
    "个月",
    "天",
    "日",
    "周",
    "年",
    "季度",
    "岁",
    "分",
    "个百分点",
    "百分点",
    "%",
    "‰",
    "倍",
    "万元",
    "亿元",
    "千元",
    "百元",
    "元",
    "美元",
    "万美元",
    "亿美元",
    "万",
    "亿",
]
_UNIT_WORD = "|".join(re.escape(u) for u in sorted(_COUNT_UNITS + _MEASURE_UNITS, key=len, reverse=True))
# A unit (with a magnitude: 万人次), optionally per something ("元/人", "元/家次", "次/年"),
# optionally followed by 人民币.
_UNIT = re.compile(rf"(?:万|亿|千)?(?:{_UNIT_WORD})(?:/(?:{_UNIT_WORD}|[\u4e00-\u9fff]{{1,3}}))?(?:人民币)?")
# An unknown unit is accepted only when it is short, has no digit and is not a deadline word.
_UNKNOWN_UNIT = re.compile(r"[A-Za-z\u4e00-\u9fff]{1,3}")
_NOT_A_UNIT = re.compile(r"[前后底末初]")

_SUFFIX = re.compile("|".join(f"(?:{p})" for p, _ in _SUFFIX_RULES))
_PREFIX = "|".join(f"(?:{p})" for p, _ in _PREFIX_RULES)
_CHINESE_NUMERALS = "零〇一二两三四五六七八九十"
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# A number: optional minus sign ("-5%", a reduction target), thousands separators, decimals; or a
# run of Chinese numerals (validated by _chinese_number). Never starts inside another number.
_NUMBER = r"(?<![\d.,])(?:[-−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))|[" + _CHINESE_NUMERALS + "]+"
_RANGE_SEP = r"[-~～—–]|至|到"
# One quantity: optional comparison word, a number, and optionally "<sep> number" for a range
# (the first number may repeat the unit: "20%-35%", "20次-35次").
_QUANTITY = re.compile(
    rf"(?:(?P<op>{_PREFIX})\s*)?(?P<num>{_NUMBER})"
    rf"(?:\s*(?P<unit1>{_UNIT.pattern})?\s*(?:{_RANGE_SEP})\s*(?P<num2>{_NUMBER}))?"
)
_TRAILING_PUNCT = re.compile(r"[\s,，;；.。:：、!！?？]+$")
_TRAILING_NOTE = re.compile(r"(?<=\S)\s*[（(][^（）()]*[）)]$")  # "≥2（其中…不低于1家）"
_WRAPPING_BRACKETS = re.compile(r"^[（(]([^（）()]*)[）)]$")  # "（100%）"
_LEADING_PUNCT = re.compile(r"^[\s,，;；:：、]+")
# A cell holding only dashes or slashes is the table's way of printing "no value".
_PLACEHOLDER = re.compile(r"^[-—–―~～/／\\.…·]+$")
# A label ending like this means the last number is the second half of a ratio, fraction or
# unreadable range ("1:1", "1/2", "20个-35次"), or an ordinal ("第3季度").
_NUMBER_CONTINUES = re.compile(r"(?:\d\s*[:：/\-~～—–至到]|第)$")
# A clause break; an ASCII comma between digits is a thousands separator ("1,200人"), not a break.
_CLAUSE_BREAK = re.compile(r"[，;；。]|(?<!\d),|,(?!\d{3}(?!\d))")
# "<threshold>得满分，否则…", "达到90%得10分": a scoring rule's threshold is the part before the
# clause that awards the score.
_SCORE_AWARD = re.compile(r"^(?P<condition>.*?)(?:即?得|(?<![累合共总统设估])计|给)(?:满分|\d+(?:\.\d+)?分)")
_YEAR_MONTH = re.compile(r"(?:19|20)\d\d\.(?:0?[1-9]|1[0-2])")
_LONGEST_TAIL = 12  # characters of counted noun allowed after an opening quantity


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
    scoring = _SCORE_AWARD.match(body)
    if scoring:
        body = _clean(scoring.group("condition"))
    if not body or _CLAUSE_BREAK.search(body):
        return _QUALITATIVE
    return _parse_quantity(body) or _QUALITATIVE


def _clean(text: str | None) -> str:
    if not text:
        return ""
    body = text.translate(_SYMBOL_FOLD).strip()
    body = _LEADING_PUNCT.sub("", re.sub(r"\s+", " ", body))
    while True:
        stripped = _TRAILING_NOTE.sub("", _TRAILING_PUNCT.sub("", body))
        stripped = _WRAPPING_BRACKETS.sub(r"\1", stripped).strip()
        if stripped == body:
            return "" if _PLACEHOLDER.match(body) else body
        body = stripped


def _parse_quantity(body: str) -> ParsedTarget | None:
    matches = list(_QUANTITY.finditer(body))
    if not matches:
        return None
    m = matches[-1]  # the target is the last number; it must end the text
    label, rest = body[: m.start()].strip(), body[m.end() :].strip()
    chinese = m.group("num")[0] in _CHINESE_NUMERALS
    low = _number(m.group("num"))
    high = _number(m.group("num2")) if m.group("num2") else None
    if low is None or (m.group("num2") and high is None):
        return None
    if _NUMBER_CONTINUES.search(label) or _is_calendar_date(label, m.group("num"), rest):
        return None
    if not rest and any(_YEAR_MONTH.fullmatch(n) for n in (m.group("num"), m.group("num2")) if n):
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
    operator = _combine(_operator(m.group("op"), _PREFIX_RULES), _operator(suffix, _SUFFIX_RULES))
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
    unit ("8个服务区域", "100%完成…"), up to ``_LONGEST_TAIL`` characters.
    """
    unit_match = _UNIT.match(rest)
    unit = _unit_name(unit_match.group()) if unit_match else ""
    after_unit = rest[unit_match.end() :].strip() if unit_match else rest
    suffix_match = _SUFFIX.match(after_unit)
    suffix = suffix_match.group() if suffix_match else ""
    tail = after_unit[len(suffix) :].strip()
    if not tail:
        return unit, suffix
    if not chinese and unit not in _COUNT_UNITS:
        unknown = _unknown_unit(rest)  # "20分贝以上": 分 is a prefix of a unit missing from the lists
        if unknown:
            return unknown
    # "8个服务区域以上" would hide a comparison after the noun: too ambiguous to read.
    readable_tail = (
        len(tail) <= _LONGEST_TAIL
        and not tail.startswith("性")  # "一次性": an adjective, not a count
        and not re.search(rf"(?:{_SUFFIX.pattern})$", tail)
    )
    if tail_allowed and unit and readable_tail and (not chinese or unit in _COUNT_UNITS):
        return unit, suffix  # a Chinese numeral only before a count word: "一家律所", not "十分满意"
    return None


def _unknown_unit(rest: str) -> tuple[str, str] | None:
    """A short unit missing from the lists ("5辆", "20分贝以上"), possibly with a suffix word."""
    for end in range(min(3, len(rest)), 0, -1):
        candidate, after = rest[:end], rest[end:].strip()
        if (
            (not after or _SUFFIX.fullmatch(after))
            and _UNKNOWN_UNIT.fullmatch(candidate)
            and not _NOT_A_UNIT.search(candidate)
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
    if len(text) == 1 and text in _CN_DIGITS:
        return float(_CN_DIGITS[text])
    m = re.fullmatch(r"([一二两三四五六七八九]?)十([一二三四五六七八九]?)", text)
    if not m:
        return None
    tens = _CN_DIGITS[m.group(1)] if m.group(1) else 1
    ones = _CN_DIGITS[m.group(2)] if m.group(2) else 0
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
