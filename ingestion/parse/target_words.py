"""The words and patterns of an indicator target: comparison words, units, numbers, placeholders.

``targets.parse_target`` applies them; they live here so that the rules (what a target says) read
apart from the procedure (how a target is taken apart), and each stays under a screenful or two.
"""

from __future__ import annotations

import re

# Fullwidth and small-form symbols the caller's look-alike folding leaves alone.
SYMBOL_FOLD = str.maketrans({"％": "%", "﹪": "%", "＞": ">", "＜": "<", "＝": "=", "～": "~"})

# Comparison words written BEFORE the number, in priority order. Within one alternation, longer
# spellings come first so that "大于等于" is not read as "大于" and "不少于" not as "少于".
PREFIX_RULES: list[tuple[str, str]] = [
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
SUFFIX_RULES: list[tuple[str, str]] = [
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
COUNT_UNITS = [
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
MEASURE_UNITS = [
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
UNIT_WORD = "|".join(re.escape(u) for u in sorted(COUNT_UNITS + MEASURE_UNITS, key=len, reverse=True))
# A unit (with a magnitude: 万人次), optionally per something ("元/人", "元/家次", "次/年"),
# optionally followed by 人民币.
UNIT = re.compile(rf"(?:万|亿|千)?(?:{UNIT_WORD})(?:/(?:{UNIT_WORD}|[\u4e00-\u9fff]{{1,3}}))?(?:人民币)?")
# An unknown unit is accepted only when it is short, has no digit and is not a deadline word.
UNKNOWN_UNIT = re.compile(r"[A-Za-z\u4e00-\u9fff]{1,3}")
NOT_A_UNIT = re.compile(r"[前后底末初]")

SUFFIX = re.compile("|".join(f"(?:{p})" for p, _ in SUFFIX_RULES))
PREFIX = "|".join(f"(?:{p})" for p, _ in PREFIX_RULES)
CHINESE_NUMERALS = "零〇一二两三四五六七八九十"
CN_DIGITS = {
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
NUMBER = r"(?<![\d.,])(?:[-−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))|[" + CHINESE_NUMERALS + "]+"
RANGE_SEP = r"[-~～—–]|至|到"
# One quantity: optional comparison word, a number, and optionally "<sep> number" for a range
# (the first number may repeat the unit: "20%-35%", "20次-35次").
QUANTITY = re.compile(
    rf"(?:(?P<op>{PREFIX})\s*)?(?P<num>{NUMBER})"
    rf"(?:\s*(?P<unit1>{UNIT.pattern})?\s*(?:{RANGE_SEP})\s*(?P<num2>{NUMBER}))?"
)
TRAILING_PUNCT = re.compile(r"[\s,，;；.。:：、!！?？]+$")
TRAILING_NOTE = re.compile(r"(?<=\S)\s*[（(][^（）()]*[）)]$")  # "≥2（其中…不低于1家）"
WRAPPING_BRACKETS = re.compile(r"^[（(]([^（）()]*)[）)]$")  # "（100%）"
LEADING_PUNCT = re.compile(r"^[\s,，;；:：、]+")
# A cell holding only dashes or slashes is the table's way of printing "no value".
PLACEHOLDER = re.compile(r"^[-—–―~～/／\\.…·]+$")
# A label ending like this means the last number is the second half of a ratio, fraction or
# unreadable range ("1:1", "1/2", "20个-35次"), or an ordinal ("第3季度").
NUMBER_CONTINUES = re.compile(r"(?:\d\s*[:：/\-~～—–至到]|第)$")
# A clause break; an ASCII comma between digits is a thousands separator ("1,200人"), not a break.
CLAUSE_BREAK = re.compile(r"[，;；。]|(?<!\d),|,(?!\d{3}(?!\d))")
# "<threshold>得满分，否则…", "达到90%得10分": a scoring rule's threshold is the part before the
# clause that awards the score.
SCORE_AWARD = re.compile(r"^(?P<condition>.*?)(?:即?得|(?<![累合共总统设估])计|给)(?:满分|\d+(?:\.\d+)?分)")
YEAR_MONTH = re.compile(r"(?:19|20)\d\d\.(?:0?[1-9]|1[0-2])")
LONGEST_TAIL = 12  # characters of counted noun allowed after an opening quantity
