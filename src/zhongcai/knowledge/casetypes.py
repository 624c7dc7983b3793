"""The vocabularies of a library case's elements: authority, claim kinds, outcomes, termination
reasons, industries.

Codes are stable identifiers (stored, compared, sent by the API); labels are translatable. The
words that recognise each code in a text are data, in ``data/case_element_rules.json``.

``ClaimKind`` is finer than ``cases.taxonomy.ClaimType``: 加班费 and 拖欠工资 are both
"labor remuneration", but an arbitrator looking for a similar case wants overtime with overtime.
Each kind belongs to one claim type and suggests the causes (案由, spec §7.2) it usually comes
with.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongcai.cases.taxonomy import Cause, ClaimType


class Authority(models.TextChoices):
    """How much weight a case carries, highest first (anchors.md gap 3: say it, every time)."""

    GUIDING = "guiding", _("Guiding case")  # 指导性案例
    TYPICAL = "typical", _("Typical case")  # 典型案例 (ministry / Supreme People's Court)
    PROVINCIAL = "provincial", _("Provincial reference case")
    LOCAL = "local", _("Local case")


class DecidedBy(models.TextChoices):
    """Where the outcome shown was reached."""

    ARBITRATION = "arbitration", _("Arbitration award")
    COURT = "court", _("Court judgment")


class Outcome(models.TextChoices):
    """The result of one claim item, from the claimant's side."""

    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REJECTED = "rejected", _("Rejected")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class ClaimKind(models.TextChoices):
    OVERTIME_PAY = "overtime_pay", _("Overtime pay")
    UNPAID_WAGES = "unpaid_wages", _("Unpaid wages")
    ANNUAL_LEAVE_PAY = "annual_leave_pay", _("Pay for untaken annual leave")
    DOUBLE_WAGES = "double_wages", _("Double wages without a written contract")
    ECONOMIC_COMPENSATION = "economic_compensation", _("Economic compensation")
    NOTICE_PAY = "notice_pay", _("Pay in lieu of notice")
    UNLAWFUL_TERMINATION = "unlawful_termination", _("Damages for unlawful termination")
    WORK_INJURY = "work_injury", _("Work-injury benefits")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    CONFIRM_RELATIONSHIP = "confirm_relationship", _("Confirm the labor relationship")
    REINSTATEMENT = "reinstatement", _("Continue the labor contract")
    NON_COMPETE = "non_compete", _("Non-compete compensation or penalty")
    DOCUMENTS = "documents", _("Termination certificate, file transfer")
    OTHER = "other", _("Other")


KIND_TYPE: dict[str, str] = {
    ClaimKind.OVERTIME_PAY: ClaimType.REMUNERATION,
    ClaimKind.UNPAID_WAGES: ClaimType.REMUNERATION,
    ClaimKind.ANNUAL_LEAVE_PAY: ClaimType.REMUNERATION,
    ClaimKind.DOUBLE_WAGES: ClaimType.DAMAGES,
    ClaimKind.ECONOMIC_COMPENSATION: ClaimType.ECONOMIC_COMPENSATION,
    ClaimKind.NOTICE_PAY: ClaimType.ECONOMIC_COMPENSATION,
    ClaimKind.UNLAWFUL_TERMINATION: ClaimType.DAMAGES,
    ClaimKind.WORK_INJURY: ClaimType.WORK_INJURY_MEDICAL,
    ClaimKind.SOCIAL_INSURANCE: ClaimType.SOCIAL_INSURANCE,
    ClaimKind.CONFIRM_RELATIONSHIP: ClaimType.CONFIRM_RELATIONSHIP,
    ClaimKind.REINSTATEMENT: ClaimType.REINSTATEMENT,
    ClaimKind.NON_COMPETE: ClaimType.OTHER,
    ClaimKind.DOCUMENTS: ClaimType.DOCUMENTS,
    ClaimKind.OTHER: ClaimType.OTHER,
}

KIND_CAUSES: dict[str, tuple[str, ...]] = {
    ClaimKind.OVERTIME_PAY: (Cause.REMUNERATION, Cause.WORKING_TIME),
    ClaimKind.UNPAID_WAGES: (Cause.REMUNERATION,),
    ClaimKind.ANNUAL_LEAVE_PAY: (Cause.REMUNERATION, Cause.REST_LEAVE),
    ClaimKind.DOUBLE_WAGES: (Cause.CONTRACT, Cause.DAMAGES),
    ClaimKind.ECONOMIC_COMPENSATION: (Cause.TERMINATION, Cause.ECONOMIC_COMPENSATION),
    ClaimKind.NOTICE_PAY: (Cause.TERMINATION, Cause.ECONOMIC_COMPENSATION),
    ClaimKind.UNLAWFUL_TERMINATION: (Cause.TERMINATION, Cause.DAMAGES),
    ClaimKind.WORK_INJURY: (Cause.WORK_INJURY,),
    ClaimKind.SOCIAL_INSURANCE: (Cause.SOCIAL_INSURANCE,),
    ClaimKind.CONFIRM_RELATIONSHIP: (Cause.LABOR_RELATIONSHIP,),
    ClaimKind.REINSTATEMENT: (Cause.TERMINATION,),
    ClaimKind.NON_COMPETE: (Cause.CONTRACT,),
    ClaimKind.DOCUMENTS: (Cause.TERMINATION,),
    ClaimKind.OTHER: (),
}

# A claim typed only by its ClaimType (a case's claim whose words name no kind): the kind it
# most often is, so that "remuneration" still meets "unpaid wages" half-way.
TYPE_DEFAULT_KIND: dict[str, str] = {
    ClaimType.REMUNERATION: ClaimKind.UNPAID_WAGES,
    ClaimType.ECONOMIC_COMPENSATION: ClaimKind.ECONOMIC_COMPENSATION,
    ClaimType.DAMAGES: ClaimKind.UNLAWFUL_TERMINATION,
    ClaimType.WORK_INJURY_MEDICAL: ClaimKind.WORK_INJURY,
    ClaimType.CONFIRM_RELATIONSHIP: ClaimKind.CONFIRM_RELATIONSHIP,
    ClaimType.REINSTATEMENT: ClaimKind.REINSTATEMENT,
    ClaimType.SOCIAL_INSURANCE: ClaimKind.SOCIAL_INSURANCE,
    ClaimType.WORKING_TIME_REST: ClaimKind.OTHER,
    ClaimType.DOCUMENTS: ClaimKind.DOCUMENTS,
    ClaimType.OTHER: ClaimKind.OTHER,
}


class TerminationReason(models.TextChoices):
    """How the employment ended, where the dispute turns on it."""

    WORKER_RESIGNED = "worker_resigned", _("The worker resigned")
    WORKER_FOR_CAUSE = "worker_for_cause", _("The worker left for the employer's fault")
    MUTUAL_AGREEMENT = "mutual_agreement", _("Ended by agreement")
    PROBATION = "probation", _("Dismissed in probation as not meeting the conditions")
    MISCONDUCT = "misconduct", _("Dismissed for breaking the rules")
    NO_FAULT = "no_fault", _("Dismissed without fault, with notice")
    LAYOFF = "layoff", _("Economic layoff")
    CONTRACT_EXPIRED = "contract_expired", _("The contract expired")
    DEATH = "death", _("The worker died")
    DISMISSED = "dismissed", _("Dismissed, reason not stated")


class Industry(models.TextChoices):
    """Sections of GB/T 4754-2017 (国民经济行业分类)."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and postal services")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water, environment and public facilities management")
    O = "O", _("Resident services, repair and other services")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration, social security and social organisations")
    T = "T", _("International organisations")


def label(choices: type[models.TextChoices], code: str) -> str:
    """The label of ``code``, or the code itself when it is not one of ``choices``."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code
