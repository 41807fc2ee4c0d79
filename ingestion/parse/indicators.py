"""The 绩效指标 cell -> a list of ``Indicator``.

Two printed forms exist:

* coded: ``1、1-产出指标；11-数量指标；报废小车数量；实施周期指标值:1；年度指标值:1。``
* uncoded: ``1、产出指标：慰问党员人数，年度指标值：4人。``

Separators vary between reports and even inside one (``,`` ``;,`` ``；`` ``;`` ``。``; ``:`` or
``：``), so fields are found by their anchors (the ``N-名称`` category codes and the
``实施周期指标值`` / ``年度指标值`` keywords), never by counting separators. Items are split on a
number followed by ``、`` and a category pattern only: a bare ``1、`` inside a target, or the digits
of a name such as "12345热线", do not start an item. Codes and names are kept as printed, even
when inconsistent: judging them is the job of a later step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.model import Indicator
from ingestion.parse.normalize import join_wrapped

_CJK = "\u4e00-\u9fff"
_DASH = "-－—–"
# "1-产出指标": a category code and a name that starts with a CJK character (so "20-35次" is not one).
_CODED_CATEGORY = rf"\d{{1,3}}\s*[{_DASH}]\s*[{_CJK}]"
# "产出指标：", "社会效益：", "服务对象满意度：": an uncoded category name followed by a colon.
_CATEGORY_WORD = rf"[{_CJK}]{{0,10}}?(?:指标|效益|影响|满意度)"
_UNCODED_CATEGORY = rf"{_CATEGORY_WORD}\s*[:：]"

# An item starts with its printed number and 、 (a wrap may have split them: "6\n、2-效益指标"; the
# wrapped text is joined before this runs) followed by a category.
_ITEM_START = re.compile(rf"(?<!\d)(\d{{1,3}})\s*、\s*(?={_CODED_CATEGORY}|{_UNCODED_CATEGORY})")

_FIELD_SEPARATORS = ",，;；:：、"
# One coded category segment: code, name, and the separator that ends it.
_CODED_SEGMENT = re.compile(
    rf"\s*(\d{{1,3}})\s*[{_DASH}]\s*([{_CJK}][^{_FIELD_SEPARATORS}。]*?)\s*[{_FIELD_SEPARATORS}]"
)
_UNCODED_SEGMENT = re.compile(rf"\s*({_CATEGORY_WORD})\s*[:：]")

_PERIOD_KEY = re.compile(r"实施周期(?:指标|目标)值\s*[:：]?")
_ANNUAL_KEY = re.compile(r"年度(?:指标|目标)值\s*[:：]?")

# Characters that end a field or an item. They are stripped from the ends of a value: a trailing
# "。" is the item terminator in most reports, and "不超过24万元。；年度指标值:不超过24万元。"
# must give the same target for both periods.
_TRAILING_SEPARATORS = " ,，;；。:："
_LEADING_SEPARATORS = " :：,，;；"


@dataclass(frozen=True)
class ItemText:
    printed_number: str
    text: str  # the item without its number, normalized
    raw_text: str  # the item as printed, number included, normalized
    offset: int  # where the item starts in the joined indicator text


def starts_with_indicator_item(text: str) -> bool:
    """True when ``text`` (a line or paragraph) begins with a numbered indicator item."""
    match = _ITEM_START.match(text.lstrip())
    return match is not None


def split_items(text: str) -> tuple[str, list[ItemText]]:
    """Split joined indicator text into items; also return any text before the first item."""
    starts = list(_ITEM_START.finditer(text))
    prefix = text[: starts[0].start()] if starts else text
    items: list[ItemText] = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        items.append(
            ItemText(
                printed_number=match.group(1),
                text=text[match.end() : end].strip(),
                raw_text=text[match.start() : end].strip(),
                offset=match.start(),
            )
        )
    return prefix.strip(), items


def _clean_value(value: str) -> str:
    return value.lstrip(_LEADING_SEPARATORS).rstrip(_TRAILING_SEPARATORS)


def parse_item(item: ItemText, *, seq: int, source_page: int | None) -> Indicator:
    body = item.text
    level1_code = level1_name = level2_code = level2_name = None
    pos = 0
    first = _CODED_SEGMENT.match(body)
    if first:
        level1_code, level1_name = first.group(1), first.group(2)
        pos = first.end()
        second = _CODED_SEGMENT.match(body, pos)
        if second:
            level2_code, level2_name = second.group(1), second.group(2)
            pos = second.end()
    else:
        uncoded = _UNCODED_SEGMENT.match(body)
        if uncoded:
            level1_name = uncoded.group(1)
            pos = uncoded.end()

    rest = body[pos:]
    period_key = _PERIOD_KEY.search(rest)
    annual_key = _ANNUAL_KEY.search(rest, period_key.end() if period_key else 0)
    name_end = min(k.start() for k in (period_key, annual_key) if k) if (period_key or annual_key) else len(rest)
    name = _clean_value(rest[:name_end]) or None

    period_target = None
    if period_key:
        period_end = annual_key.start() if annual_key else len(rest)
        period_target = _clean_value(rest[period_key.end() : period_end])
    annual_target = _clean_value(rest[annual_key.end() :]) if annual_key else None

    return Indicator(
        seq=seq,
        printed_number=item.printed_number,
        level1_code=level1_code,
        level1_name=level1_name,
        level2_code=level2_code,
        level2_name=level2_name,
        name=name,
        period_target=period_target,
        annual_target=annual_target,
        source_page=source_page,
        raw_text=item.raw_text,
        numbered_text=True,
    )


def parse_indicators(text: str, source_page: int | None = None) -> list[Indicator]:
    """Parse one project's 绩效指标 text (wrapped lines may still be in it)."""
    return parse_indicator_fragments([(text, source_page)])


def parse_indicator_fragments(fragments: list[tuple[str, int | None]]) -> list[Indicator]:
    """Parse indicator text that arrived in pieces (a row continued on the next PDF page).

    Each fragment carries its page; an indicator gets the page on which its item starts. Text in
    front of the first numbered item (an unnumbered cell) becomes an indicator with only
    ``raw_text`` set, so nothing printed is lost; callers flag it.
    """
    joined = ""
    boundaries: list[tuple[int, int | None]] = []  # (start offset, page) of each fragment
    for fragment, page in fragments:
        piece = join_wrapped(fragment.splitlines())
        if not piece:
            continue
        joined = join_wrapped([joined, piece]) if joined else piece
        boundaries.append((len(joined) - len(piece), page))

    def page_at(offset: int) -> int | None:
        page = boundaries[0][1] if boundaries else None
        for start, fragment_page in boundaries:
            if start <= offset:
                page = fragment_page
        return page

    prefix, items = split_items(joined)
    indicators: list[Indicator] = []
    if prefix:
        indicators.append(
            Indicator(
                seq=1,
                printed_number=None,
                level1_code=None,
                level1_name=None,
                level2_code=None,
                level2_name=None,
                name=None,
                period_target=None,
                annual_target=None,
                source_page=page_at(0),
                raw_text=prefix,
                numbered_text=True,
            )
        )
    for item in items:
        indicators.append(parse_item(item, seq=len(indicators) + 1, source_page=page_at(item.offset)))
    return indicators


def is_unparsed(indicator: Indicator) -> bool:
    """An indicator whose text could not be read as an item (only raw_text is known)."""
    return indicator.printed_number is None or (
        indicator.level1_name is None and indicator.name is None and indicator.annual_target is None
    )


# The checks of ``numbering_failures``, by the name a failure is reported under.
INTEGRITY_CHECKS = ("numbered_form", "numbering_gap", "annual_markers")


def numbering_failures(indicators: list[Indicator]) -> list[tuple[str, str]]:
    """(check, finding) for each way a project's numbered 绩效指标 cell fails to parse whole.

    A damaged or mis-read cell shows itself here: text before the first numbered item (the item's
    number was lost, so its text cannot be told from the one before), item numbers that skip ahead
    (an item's number was lost and its text joined the previous item), or an item holding more
    年度指标值 markers than one (two items read as one). Numbers that repeat or restart at 1 are
    printed that way by some reports and pass. Indicators read from their own columns are not checked.
    """
    numbered = [i for i in indicators if i.numbered_text]
    failures: list[tuple[str, str]] = []
    for indicator in numbered:
        if indicator.printed_number is None:
            failures.append(("numbered_form", f"text not in the numbered form: {indicator.raw_text[:40]!r}"))
    numbers = [int(i.printed_number) for i in numbered if i.printed_number is not None]
    previous = 0
    for number in numbers:
        if number > previous + 1:
            missing = f"{previous + 1}" if number == previous + 2 else f"{previous + 1}-{number - 1}"
            failures.append(("numbering_gap", f"item {number} follows item {previous}: {missing} missing"))
        previous = number
    for indicator in numbered:
        markers = len(_ANNUAL_KEY.findall(indicator.raw_text))
        if markers > 1:
            failures.append(
                (
                    "annual_markers",
                    f"item {indicator.printed_number} holds {markers} 年度指标值 markers: {indicator.raw_text[:40]!r}",
                )
            )
    return failures
