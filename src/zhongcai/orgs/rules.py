"""The numbers and lists of the organisation rules, in one place (劳动人事争议仲裁组织规则).

Most come from the author's memory of 组织规则 ([M] in domain/spec.md §4): a deployment corrects
them in settings without code changes, e.g. ``ORGS_RULES = {"reappointment_bar_years": 5}``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .models import EndReason

DEFAULTS: dict[str, Any] = {
    # 组织规则 art. 34 [M]: a dismissed arbitrator may not be re-appointed for 5 years.
    "reappointment_bar_years": 5,
    # Endings that are dismissals (解聘) and so carry the bar; the others (term expired, change
    # of post, resignation) leave the person free to be appointed again. LDMAL art. 34 makes
    # dismissal compulsory for misconduct; 组织规则 arts. 28, 32–34 [M] add the others.
    "dismissal_reasons": frozenset(
        {
            EndReason.FAILED_ASSESSMENT,
            EndReason.MISCONDUCT,
            EndReason.PROHIBITED_CONDUCT,
            EndReason.CRIMINAL,
        }
    ),
    # 组织规则 art. 21 [M]: at least 3 full-time arbitrators and 1 case assistant per commission.
    "min_full_time_arbitrators": 3,
    "min_case_assistants": 1,
    # 组织规则 art. 29 [M]: at least 40 class hours of in-service training a year.
    "training_hours_per_year": 40,
}


def rule(name: str) -> Any:
    overrides: dict[str, Any] = getattr(settings, "ORGS_RULES", {})
    if name == "dismissal_reasons" and name in overrides:
        return frozenset(EndReason(code) for code in overrides[name])
    return overrides.get(name, DEFAULTS[name])


def is_dismissal(reason: str) -> bool:
    return reason in rule("dismissal_reasons")
