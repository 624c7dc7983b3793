"""How Chinese official documents write dates, numbers and money.

``cn_date(date(2026, 11, 29))`` → 二〇二六年十一月二十九日 (the date under a signature);
``cn_amount(Decimal("12000"))`` → 人民币壹万贰仟元整 (amounts in capitals, as awards and
调解书 write them beside the figures); ``cn_count(12)`` → 十二 (numbered ruling items: 一、二、).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

_YEAR_DIGITS = "〇一二三四五六七八九"
_DIGITS = "零一二三四五六七八九"
_CAPITALS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def cn_count(n: int) -> str:
    """一 … 九十九 (and beyond, plainly): the numbering of items and ordinals (第十二条)."""
    if n < 0:
        raise ValueError("a count is not negative")
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if not rest:
            return f"{_DIGITS[hundreds]}百"
        tail = cn_count(rest) if rest >= 10 else f"零{_DIGITS[rest]}"
        if 10 <= rest < 20:
            tail = f"一{tail}"
        return f"{_DIGITS[hundreds]}百{tail}"
    return "".join(_DIGITS[int(d)] for d in str(n))


def cn_date(day: date) -> str:
    """二〇二六年十一月二十九日: the year digit by digit, month and day as numbers."""
    year = "".join(_YEAR_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{cn_count(day.month)}月{cn_count(day.day)}日"


def figure_date(day: date) -> str:
    """2026年11月29日: dates in the body text."""
    return f"{day.year}年{day.month}月{day.day}日"


def money(amount: Decimal | int | float | str) -> str:
    """12,000.00: the figures, to the fen."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


def _section(n: int) -> str:
    """0 < n < 10000 in capitals, with 零 where a place is skipped (壹仟零伍)."""
    text, zero = "", False
    for power in (3, 2, 1, 0):
        digit = (n // 10**power) % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _CAPITALS[digit] + _SMALL_UNITS[power]
    return text


def cn_amount(amount: Decimal | int | float | str, *, currency: str = "人民币") -> str:
    """人民币壹万贰仟元整; 人民币叁仟零伍元伍角; 人民币壹拾元零伍分 (to the fen, rounded)."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("an amount is not negative")
    fen_total = int(value * 100)
    yuan, fen_part = divmod(fen_total, 100)
    jiao, fen = divmod(fen_part, 10)
    text = ""
    if yuan:
        sections: list[int] = []
        rest = yuan
        while rest:
            rest, section = divmod(rest, 10000)
            sections.append(section)
        pending_zero = False
        for index in range(len(sections) - 1, -1, -1):
            section = sections[index]
            if section == 0:
                pending_zero = bool(text)
                continue
            if text and (pending_zero or section < 1000):
                text += "零"
            pending_zero = False
            text += _section(section) + _BIG_UNITS[index]
        text += "元"
    if not jiao and not fen:
        return f"{currency}{text or '零元'}整"
    if jiao:
        text += _CAPITALS[jiao] + "角"
    if fen:
        if yuan and not jiao:
            text += "零"
        text += _CAPITALS[fen] + "分"
    return f"{currency}{text}"
