"""Which mediation organisations are competent for a dispute, and why (LDMAL art. 10).

LDMAL art. 10 lets a party seek mediation from the enterprise's own labor-dispute mediation
committee, a grass-roots people's mediation organisation established by law, or an organisation
with a labor-dispute mediation function set up in a township or street; 企业劳动争议协商调解规定
adds regional and industry organisations. The suggestions come in that order of closeness: the
employer's own committee first, then the organisations of the place of work (its county, city,
province; nearest first), then those of the employer's location, then industry organisations.

An organisation record has no link to an employer's credit code (``orgs.MediationDetail`` has a
free-text "area served"). [D] An enterprise committee is the employer's when its area text holds
the employer's unified social credit code, or its name or area holds the employer's name (as
typed, or as the verified registration of that credit code). Administrators therefore write the
enterprise's credit code in the committee's "area served".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhongcai.accounts.models import Employer
from zhongcai.cases.taxonomy import Cause
from zhongcai.orgs.models import Division, MediationDetail, Organisation

Kind = MediationDetail.Kind

ENTERPRISE = "enterprise"
WORKPLACE = "workplace"
EMPLOYER_LOCATION = "employer_location"
INDUSTRY = "industry"

# Within one division, the organisations closest to the workplace come first.
_KIND_ORDER = {
    Kind.TOWNSHIP: 0,
    Kind.REGIONAL: 1,
    Kind.ARBITRATION_CENTRE: 2,
    Kind.OTHER: 3,
    "": 3,
}
_COUNTY_WORK = _("A mediation organisation of the district or county where you work")
_COUNTY_EMPLOYER = _("A mediation organisation of the district or county where the employer is")
_REASONS: dict[tuple[str, str], Any] = {
    (WORKPLACE, Division.Level.COUNTY): _COUNTY_WORK,
    (WORKPLACE, Division.Level.FUNCTIONAL_ZONE): _COUNTY_WORK,
    (WORKPLACE, Division.Level.PREFECTURE): _(
        "A mediation organisation of the city where you work"
    ),
    (WORKPLACE, Division.Level.PROVINCE): _("A mediation organisation of the province"),
    (EMPLOYER_LOCATION, Division.Level.COUNTY): _COUNTY_EMPLOYER,
    (EMPLOYER_LOCATION, Division.Level.FUNCTIONAL_ZONE): _COUNTY_EMPLOYER,
    (EMPLOYER_LOCATION, Division.Level.PREFECTURE): _(
        "A mediation organisation of the city where the employer is"
    ),
    (EMPLOYER_LOCATION, Division.Level.PROVINCE): _("A mediation organisation of the province"),
}
ENTERPRISE_REASON = _("The employer's own enterprise labor-dispute mediation committee")
INDUSTRY_REASON = _("An industry mediation organisation of the place where you work")


@dataclass(frozen=True)
class Suggestion:
    organisation: Organisation
    basis: str  # ENTERPRISE, WORKPLACE, EMPLOYER_LOCATION or INDUSTRY
    reason: Any  # a sentence for the applicant

    @property
    def kind_label(self) -> Any:
        detail = _detail(self.organisation)
        return detail.get_kind_display() if detail else ""


def _detail(organisation: Organisation) -> MediationDetail | None:
    try:
        return organisation.mediation_detail
    except MediationDetail.DoesNotExist:
        return None


def _kind(organisation: Organisation) -> str:
    detail = _detail(organisation)
    return detail.kind if detail else ""


def _chain(code: str | None) -> list[Division]:
    """The division of ``code`` and its parents, nearest first (empty if unknown)."""
    chain: list[Division] = []
    division = Division.objects.filter(code=code).first() if code else None
    while division is not None and len(chain) < 5:
        chain.append(division)
        division = division.parent
    return chain


def _active() -> Any:
    return Organisation.objects.filter(
        type=Organisation.Type.MEDIATION_ORGANISATION, is_active=True
    ).select_related("mediation_detail", "division")


def _names_of_employer(credit_code: str, name: str) -> list[str]:
    names = [name.strip()] if name and len(name.strip()) >= 2 else []
    if credit_code:
        names += Employer.objects.filter(credit_code=credit_code).values_list("name", flat=True)
    return list(dict.fromkeys(n for n in names if n))


def _enterprise_committees(credit_code: str, names: list[str]) -> list[Organisation]:
    match = Q()
    if credit_code:
        match |= Q(mediation_detail__area__icontains=credit_code)
    for name in names:
        match |= Q(name__contains=name) | Q(mediation_detail__area__contains=name)
    if not match:
        return []
    committees = _active().filter(mediation_detail__kind=Kind.ENTERPRISE)
    return list(committees.filter(match).order_by("pk"))


def _mentions(org: Organisation, words: Iterable[str]) -> bool:
    text = f"{org.name} {_detail(org).area if _detail(org) else ''}"  # type: ignore[union-attr]
    return any(word and word in text for word in words)


def competent_organisations(
    *,
    workplace_division: str | None,
    employer_credit_code: str = "",
    causes: Iterable[str] = (),
    employer_name: str = "",
    employer_division: str | None = None,
) -> list[Suggestion]:
    """The active mediation organisations that may mediate this dispute, closest first, each
    with its reason: the employer's own enterprise committee; township/street, regional and
    arbitration-centre organisations of the place of work, its city and province (nearest
    first), then of the employer's location; then industry organisations of those places (one
    whose name or area mentions the employer or a cause of the dispute first)."""
    credit_code = (employer_credit_code or "").strip().upper()
    names = _names_of_employer(credit_code, employer_name)
    result: list[Suggestion] = []
    seen: set[int] = set()

    def add(org: Organisation, basis: str, reason: Any) -> None:
        if org.pk not in seen:
            seen.add(org.pk)
            result.append(Suggestion(org, basis, reason))

    for org in _enterprise_committees(credit_code, names):
        add(org, ENTERPRISE, ENTERPRISE_REASON)

    places = [(WORKPLACE, d) for d in _chain(workplace_division)]
    places += [(EMPLOYER_LOCATION, d) for d in _chain(employer_division)]
    codes = list(dict.fromkeys(d.code for _basis, d in places))
    candidates = list(_active().filter(division_id__in=codes).exclude(
        mediation_detail__kind__in=[Kind.ENTERPRISE, Kind.INDUSTRY]
    ))  # fmt: skip
    for basis, division in places:
        here = [org for org in candidates if org.division_id == division.code]
        for org in sorted(here, key=lambda o: (_KIND_ORDER.get(_kind(o), 3), o.name)):
            add(org, basis, _REASONS[(basis, division.level)])

    labels = [str(label) for value, label in Cause.choices if value in set(causes)]
    industry = list(_active().filter(division_id__in=codes, mediation_detail__kind=Kind.INDUSTRY))
    rank = {code: i for i, code in enumerate(codes)}
    industry.sort(key=lambda o: (not _mentions(o, [*names, *labels]), rank[o.division_id], o.name))
    for org in industry:
        add(org, INDUSTRY, INDUSTRY_REASON)
    return result


def is_mediation_organisation(organisation: Organisation | None) -> bool:
    return (
        organisation is not None
        and organisation.type == Organisation.Type.MEDIATION_ORGANISATION
        and organisation.is_active
    )
