"""Case numbers: strictly sequential per commission and year, never reused.

The counter row is locked for the rest of the acceptance transaction, so numbers are given in
commit order; a rolled-back acceptance gives its number back before anyone else could take it.
"""

from __future__ import annotations

import string

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhongcai.orgs.models import Division, Organisation

from .models import Case, CaseNumberCounter, CommissionProfile


def default_abbreviation(commission: Organisation) -> str:
    """鲁 for the province, 济 for Jinan, 济历下 for Lixia: the usual prefix of case numbers."""
    division = commission.division
    if division.level == Division.Level.PROVINCE:
        return "鲁" if division.code.startswith("37") else division.name[:1]
    if division.level == Division.Level.PREFECTURE:
        return division.name[:1]
    city = division.parent.name[:1] if division.parent else ""
    own = division.name
    if len(own) > 2 and own[-1] in "区县市旗":
        own = own[:-1]
    return f"{city}{own}"


PLACEHOLDERS = {"abbr", "year", "seq"}


def format_problem(fmt: str) -> str | None:
    """Why a case-number format cannot be used, or None. {seq} makes every number distinct."""
    try:
        fields = {name for _text, name, _spec, _conv in string.Formatter().parse(fmt) if name}
    except ValueError:
        return _("The format has an unbalanced brace.")
    if "seq" not in fields:
        return _("The format must contain {seq}, or every case would get the same number.")
    unknown = fields - PLACEHOLDERS
    if unknown:
        return _("Unknown placeholder %(names)s; use {abbr}, {year} and {seq}.") % {
            "names": ", ".join("{" + name + "}" for name in sorted(unknown))
        }
    return None


def profile_of(commission: Organisation) -> CommissionProfile:
    profile, _ = CommissionProfile.objects.get_or_create(
        commission=commission, defaults={"abbreviation": default_abbreviation(commission)}
    )
    return profile


def allocate(commission: Organisation, year: int) -> tuple[int, str]:
    """The next number of ``commission`` in ``year`` and its formatted case number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside the acceptance transaction.")
    try:
        with transaction.atomic():
            CaseNumberCounter.objects.get_or_create(commission=commission, year=year)
    except IntegrityError:
        pass  # another acceptance created the counter first; lock it below
    counter = CaseNumberCounter.objects.select_for_update().get(commission=commission, year=year)
    profile = profile_of(commission)
    fmt = profile.case_number_format
    if format_problem(fmt):
        # The admin form refuses such a format; one written around it must not stop intake.
        fmt = CommissionProfile._meta.get_field("case_number_format").default
    while True:
        counter.last += 1
        number = fmt.format(abbr=profile.abbreviation, year=year, seq=counter.last)
        # A number an imported legacy case already carries is skipped, never given twice.
        if not Case.objects.filter(commission=commission, case_number=number).exists():
            break
    counter.save(update_fields=["last"])
    return counter.last, number
