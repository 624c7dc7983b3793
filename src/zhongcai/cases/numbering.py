"""Case numbers: strictly sequential per commission and year, never reused.

The counter row is locked for the rest of the acceptance transaction, so numbers are given in
commit order; a rolled-back acceptance gives its number back before anyone else could take it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from zhongcai.orgs.models import Division, Organisation

from .models import CaseNumberCounter, CommissionProfile


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
    counter.last += 1
    counter.save(update_fields=["last"])
    profile = profile_of(commission)
    number = profile.case_number_format.format(
        abbr=profile.abbreviation, year=year, seq=counter.last
    )
    return counter.last, number
