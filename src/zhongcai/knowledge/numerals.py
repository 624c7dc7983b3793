"""Chinese numerals as laws write them: 第一百二十三条, 第十条之一, 第一千二百六十条, 第（三）项.

Only the forms found in statute numbering: 零/〇, 一…九, 两, 十, 百, 千, 万. Arabic digits
(full-width or not) are accepted wherever a number is, because awards and people write 第47条.
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
DIGITS |= {"七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CHINESE_NUMERAL = "[零〇一二两三四五六七八九十百千万]+"
# Full-width digits to ASCII: same length, so offsets into the original text stay valid.
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMERAL_RE = re.compile(rf"^{CHINESE_NUMERAL}$")


def parse_number(text: str) -> int | None:
    """``四十七`` → 47, ``一千二百六十`` → 1260, ``十`` → 10, ``47`` → 47; None if not a number."""
    text = text.strip().translate(FULL_WIDTH_DIGITS)
    if text.isdigit():
        return int(text)
    if not _NUMERAL_RE.match(text):
        return None
    total = section = 0
    digit: int | None = None
    for char in text:
        if char in DIGITS:
            if digit is not None and digit != 0:
                # Two digits in a row (一二) is a list, not a number: statutes never write it.
                return None
            digit = DIGITS[char]
            continue
        unit = UNITS[char]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit = 0, None
            continue
        # A bare 十 at the start means 一十 (十条 = 10, 十七 = 17).
        section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def to_chinese(number: int) -> str:
    """47 → 四十七, 10 → 十, 110 → 一百一十, 1260 → 一千二百六十 (as statutes write them)."""
    if not 0 <= number < 10000:
        raise ValueError(f"{number} has no statute form here")
    if number == 0:
        return "零"
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    pending_zero = False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            if pending_zero:
                parts.append("零")
                pending_zero = False
            parts.append(digits[digit] + name)
        elif parts:
            pending_zero = True
        if number == 0:
            break
    result = "".join(parts)
    # 一十七 is written 十七 only when 十 leads.
    return result[1:] if result.startswith("一十") else result


def article_label(number: int, suffix: int = 0) -> str:
    """(47, 0) → 第四十七条, (10, 1) → 第十条之一."""
    label = f"第{to_chinese(number)}条"
    return f"{label}之{to_chinese(suffix)}" if suffix else label


def ordinal_label(number: int, unit: str) -> str:
    """(2, "款") → 第二款; items are written with brackets: (3, "项") → 第（三）项."""
    if unit == "项":
        return f"第（{to_chinese(number)}）项"
    return f"第{to_chinese(number)}{unit}"
