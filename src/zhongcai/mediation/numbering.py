"""Mediation case numbers: per organisation and year, in the style of the commissions' case
numbers (济历下调〔2026〕第1号), given under a lock on the organisation's row so that two
applications arriving together never share one."""

from __future__ import annotations

import re

from zhongcai.cases.numbering import default_abbreviation
from zhongcai.orgs.models import Organisation

from .models import MediationCase

_SEQ = re.compile(r"第(\d+)号$")


def case_number(organisation: Organisation, year: int) -> str:
    """The next number; call inside the transaction that creates the case."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    prefix = f"{default_abbreviation(organisation)}调〔{year}〕第"
    taken = MediationCase.objects.filter(
        organisation=organisation, number__startswith=prefix
    ).values_list("number", flat=True)
    last = max((int(m.group(1)) for n in taken if (m := _SEQ.search(n))), default=0)
    return f"{prefix}{last + 1}号"
