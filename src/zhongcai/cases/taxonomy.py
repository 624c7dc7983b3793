"""The classifications a case carries: dispute category, cause codes, claim types, refusal grounds.

Cause codes follow domain/spec.md §7.2 (LDMAL art. 2 categories and the recommended leaf
taxonomy); claim types follow LDMAL art. 47(1) so that the final-award test (spec §3.3a) can read
them. Codes are stable identifiers; labels are translatable.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    LABOR = "labor", _("Labor dispute")
    PERSONNEL = "personnel", _("Personnel dispute")


class PersonnelSubtype(models.TextChoices):
    """办案规则 art. 2 (2)–(5)."""

    CIVIL_SERVANT = "civil_servant", _("Appointed civil servant")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution staff")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation staff")
    MILITARY_CIVILIAN = "military_civilian", _("Military civilian staff")


class Cause(models.TextChoices):
    """案由, spec §7.2."""

    LABOR_RELATIONSHIP = "labor_relationship", _("Confirmation of labor relationship")
    CONTRACT = "contract", _("Conclusion, performance or change of the labor contract")
    TERMINATION = "termination", _("Rescission or termination of the labor contract")
    DISMISSAL = "dismissal", _("Expulsion, dismissal, resignation or leaving")
    WORKING_TIME = "working_time", _("Working time")
    REST_LEAVE = "rest_leave", _("Rest and leave")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    WELFARE = "welfare", _("Welfare")
    TRAINING = "training", _("Training")
    LABOR_PROTECTION = "labor_protection", _("Labor protection")
    REMUNERATION = "remuneration", _("Labor remuneration (wages, overtime pay, leave pay)")
    WORK_INJURY = "work_injury", _("Work-injury medical expenses and benefits")
    ECONOMIC_COMPENSATION = "economic_compensation", _("Economic compensation")
    DAMAGES = "damages", _("Damages (unlawful termination, double wages …)")
    PERSONNEL = "personnel", _("Personnel dispute")
    OTHER = "other", _("Other")


class ClaimType(models.TextChoices):
    """仲裁请求的类型. The first four are LDMAL art. 47(1) money claims."""

    REMUNERATION = "remuneration", _("Labor remuneration")
    ECONOMIC_COMPENSATION = "economic_compensation", _("Economic compensation")
    DAMAGES = "damages", _("Damages")
    WORK_INJURY_MEDICAL = "work_injury_medical", _("Work-injury medical expenses")
    CONFIRM_RELATIONSHIP = "confirm_relationship", _("Confirm the labor relationship")
    REINSTATEMENT = "reinstatement", _("Continue the labor contract")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    WORKING_TIME_REST = "working_time_rest", _("Working time, rest and leave")
    DOCUMENTS = "documents", _("Termination certificate, personnel file transfer")
    OTHER = "other", _("Other")


# Claims that carry an amount of money by nature (the amount is then mandatory).
MONEY_CLAIMS = frozenset(
    {
        ClaimType.REMUNERATION,
        ClaimType.ECONOMIC_COMPENSATION,
        ClaimType.DAMAGES,
        ClaimType.WORK_INJURY_MEDICAL,
    }
)


class NotLaborDispute(models.TextChoices):
    """Not labor disputes (解释(一) arts. 2, 32): the scope check of spec §1.3."""

    SOCIAL_INSURANCE_AGENCY = (
        "social_insurance_agency",
        _("Claim against a social-insurance agency for paying benefits"),
    )
    HOUSING_REFORM = "housing_reform", _("Transfer of public housing under the housing reform")
    APPRAISAL_OBJECTION = (
        "appraisal_objection",
        _("Objection to a work-capacity or occupational-disease appraisal"),
    )
    DOMESTIC_HELPER = "domestic_helper", _("A household and its domestic helper")
    CRAFTSMAN_HELPER = "craftsman_helper", _("An individual craftsman and a helper or apprentice")
    RURAL_CONTRACTING = "rural_contracting", _("A rural contracting household and a hired hand")
    PENSIONER = "pensioner", _("The worker already draws a pension (labor service, art. 32)")


class RefusalGround(models.TextChoices):
    """办案规则 art. 30 (1)–(3) and art. 34: why an application is not accepted."""

    OUT_OF_SCOPE = "out_of_scope", _("Not a labor or personnel dispute (art. 30(1))")
    NO_CLEAR_CLAIM = "no_clear_claim", _("No clear claim with facts and reasons (art. 30(2))")
    NOT_INTERESTED_PARTY = (
        "not_interested_party",
        _("Applicant not directly interested, or respondent not identified (art. 30(3))"),
    )
    REPEATED = "repeated", _("The same matter was already refused, is pending or decided (art. 34)")
