"""Validators for the national identifiers that people and employers give us.

Each returns the normalized value or raises ``ValidationError`` with a message a user can act on.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")

# GB 32100-2015: 31 characters (no I, O, Z, S, V), weights 3^i mod 31, check = 31 - sum mod 31.
_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_RE = re.compile(rf"^[{_CREDIT_CHARSET}]{{18}}$")

_MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def _ascii(value: str | None) -> str:
    """Full-width digits and letters from a phone keyboard become ASCII (NFKC): one person,
    one spelling, so uniqueness and duplicate checks cannot be side-stepped."""
    return unicodedata.normalize("NFKC", value or "").strip()


def id_number_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(value: str) -> str:
    """A resident ID number (公民身份号码), GB 11643: 18 characters, birth date, check digit."""
    number = _ascii(value).upper()
    if not _ID_RE.match(number):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits and a final digit or X."),
            code="id_number_format",
        )
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in this ID number (characters 7–14) is not a real date."),
            code="id_number_birth_date",
        ) from None
    if birth.year < 1900 or birth > timezone.localdate():
        raise ValidationError(
            _("The birth date in this ID number (characters 7–14) is not possible."),
            code="id_number_birth_date",
        )
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The last character of this ID number does not match: please check every digit."),
            code="id_number_check_digit",
        )
    return number


def birth_date_from_id_number(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def credit_code_check_char(first17: str) -> str:
    total = sum(
        _CREDIT_CHARSET.index(char) * weight
        for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """A unified social credit code (统一社会信用代码), GB 32100: 18 characters with check."""
    code = _ascii(value).upper()
    if not _CREDIT_RE.match(code):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters: digits and capital letters "
                "other than I, O, Z, S and V."
            ),
            code="credit_code_format",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The last character of this credit code does not match: "
                "please check every character."
            ),
            code="credit_code_check_char",
        )
    return code


def validate_mobile(value: str) -> str:
    """A mainland mobile number: 11 digits starting with 13–19."""
    number = re.sub(r"[\s-]", "", _ascii(value))
    if number.startswith("+86"):
        number = number[3:]
    if not _MOBILE_RE.match(number):
        raise ValidationError(
            _("A mobile number has 11 digits and starts with 13 to 19."), code="mobile_format"
        )
    return number
