"""Text normalization shared by every reader: look-alike characters and wrapped-text joining.

Full NFKC is not used on purpose: it also turns the fullwidth punctuation the reports are written
with (（），；：) into ASCII and still misses the CJK Radicals Supplement block. Only what is known
to be a rendering artefact is folded here.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement characters that PDF producers emit instead of the ideograph they look
# like. NFKC maps only two of them (⺟ ⻳), so the simplified forms are listed explicitly.
_RADICAL_SUPPLEMENT = {
    "\u2e9f": "母",
    "\u2ec5": "见",
    "\u2ec6": "角",
    "\u2ec8": "讠",
    "\u2ec9": "贝",
    "\u2ecb": "车",
    "\u2ed0": "钅",
    "\u2ed3": "长",
    "\u2ed4": "门",
    "\u2ed9": "韦",
    "\u2eda": "页",
    "\u2edb": "风",
    "\u2edc": "飞",
    "\u2ee0": "饣",
    "\u2ee2": "马",
    "\u2ee5": "鱼",
    "\u2ee6": "鸟",
    "\u2ee7": "卤",
    "\u2ee8": "麦",
    "\u2ee9": "黄",
    "\u2eec": "齐",
    "\u2eee": "齿",
    "\u2ef0": "龙",
    "\u2ef3": "龟",
}


def _fold_char(ch: str) -> str:
    cp = ord(ch)
    if 0x2F00 <= cp <= 0x2FD5:  # Kangxi radicals: NFKC maps each to its unified ideograph
        return unicodedata.normalize("NFKC", ch)
    if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return chr(cp - 0xFEE0)  # fullwidth digits and Latin letters
    if ch in ("\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200b", "\ufeff"):
        return " " if ch not in ("\u200b", "\ufeff") else ""
    return _RADICAL_SUPPLEMENT.get(ch, ch)


_NEEDS_FOLD = re.compile(
    "[\u2e80-\u2eff\u2f00-\u2fd5\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff]"
)


def fold_lookalikes(text: str) -> str:
    """Replace radical look-alikes, fullwidth digits/letters and odd spaces; keep CJK punctuation."""
    if not _NEEDS_FOLD.search(text):
        return text
    return "".join(_fold_char(c) for c in text)


def is_cjk(ch: str) -> bool:
    """CJK ideographs and the fullwidth/CJK punctuation that surrounds them in these reports."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x3000 <= cp <= 0x303F  # 、。〈〉《》「」【】〔〕
        or 0xFF00 <= cp <= 0xFFEF  # （），；：！？
        or 0x2010 <= cp <= 0x2027  # — ‘’ “” …
        or 0xF900 <= cp <= 0xFAFF
    )


_SPACES = re.compile(r"[ \t\r\f\v]+")


def squeeze_spaces(text: str) -> str:
    """Collapse runs of spaces; drop a space that touches CJK text, keep one between Latin/digits.

    "项目评审验收跟踪服务工 经费" -> "项目评审验收跟踪服务工经费"; "Windows Server 2019" is kept.
    """
    text = _SPACES.sub(" ", text).strip()
    if " " not in text:
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " ":
            left = out[-1] if out else ""
            right = text[i + 1] if i + 1 < len(text) else ""
            if not left or not right or (is_cjk(left) or is_cjk(right)) and not _separates_names(out, text[i + 1 :]):
                continue
        out.append(ch)
    return "".join(out)


# "广州市人民政府 广州市白云区人民政府 北京大学共同支持": a space between two organisations' names
# is the only separator they have. It is kept where the text before it ends an organisation's name
# and the text after it starts another (a place or a university), so that stray spaces inside a
# word ("服务工 经费", "人民政府 办公室") still go.
_ORGANISATION_END = re.compile(
    r"(?:政府|委员会|大学|学院|研究院|研究所|联合会|商会|协会|集团|公司|中心|医院|银行|局|厅)$"
)
_NAME_START = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:省|市|区|县|镇|大学|学院)")


def _separates_names(before: list[str], after: str) -> bool:
    return bool(_ORGANISATION_END.search("".join(before[-8:])) and _NAME_START.match(after))


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of one hard-wrapped cell or paragraph into one string.

    A wrap inside Chinese text or inside a number leaves no trace; a wrap between two Latin words
    becomes one space (the producer broke the line at that space).
    """
    parts = [_SPACES.sub(" ", fold_lookalikes(line)).strip() for line in lines]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        if out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            out += " " + part
        else:
            out += part
    return squeeze_spaces(out)  # over the joined text: a name wrapped before its space keeps it


def normalize_cell(text: str | None) -> str:
    """Normalize one cell that may contain embedded newlines (PDF cells, tab-separated text)."""
    if not text:
        return ""
    return join_wrapped(text.splitlines())
