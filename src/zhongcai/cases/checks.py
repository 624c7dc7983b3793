"""What an intake officer is told before deciding: gaps, scope, jurisdiction, duplicates.

Missing items (办案规则 art. 29) are listed all at once; the other checks are warnings that the
officer must acknowledge before acceptance, never silent refusals.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from zhongcai.core.identifiers import birth_date_from_id_number
from zhongcai.orgs.models import Organisation

from .models import OPEN_STATES, Case, DecisionKind, DocumentKind, Party, Status
from .taxonomy import MONEY_CLAIMS, NotLaborDispute

# Statuses in which an earlier application blocks the same matter (办案规则 art. 34): refused,
# pending, decided (award, 调解书), revoked, or deemed withdrawn (art. 39: no re-application). A
# withdrawal does not block (art. 35), nor a transfer (the receiving commission's case does).
BLOCKING_STATUSES = (
    Status.RECEIVED,
    Status.AWAITING_CORRECTION,
    Status.NOT_ACCEPTED,
    *OPEN_STATES,
    Status.CLOSED_AWARD,
    Status.CLOSED_MEDIATION,
    Status.CLOSED_DEEMED_WITHDRAWN,
    Status.CLOSED_REVOKED,
)
# An archived case blocks unless it ended by withdrawal or transfer.
_REAPPLICATION_ALLOWED = Q(documents__decision_kind=DecisionKind.WITHDRAWAL) | Q(
    documents__kind=DocumentKind.TRANSFER_LETTER
)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str


def _party_gaps(party: Party, label: str) -> list[str]:
    """办案规则 art. 29: what the application must say about each worker and each employer."""
    if party.kind == Party.Kind.WORKER:
        wanted = {
            _("name"): party.name,
            _("sex"): party.sex,
            _("date of birth"): party.birth_date,
            _("ID number"): party.id_number,
            _("domicile"): party.domicile,
            _("mailing address"): party.mailing_address,
            _("phone"): party.phone,
        }
    else:
        wanted = {
            _("name"): party.name,
            _("domicile"): party.domicile,
            _("legal representative or principal"): party.legal_representative,
            _("position of the legal representative"): party.legal_representative_title,
        }
    return [
        _("%(who)s: %(field)s is missing") % {"who": label, "field": field}
        for field, value in wanted.items()
        if not value
    ]


def missing_items(case: Case) -> list[str]:
    """Every item 办案规则 art. 29 requires that the application lacks, in one list."""
    gaps: list[str] = []
    parties = list(case.parties.all())
    applicants = [p for p in parties if p.role == Party.Role.APPLICANT]
    respondents = [p for p in parties if p.role == Party.Role.RESPONDENT]
    if not applicants:
        gaps.append(_("No applicant"))
    if not respondents:
        gaps.append(_("No respondent"))
    for party in parties:
        gaps += _party_gaps(party, f"{party.get_role_display()}{party.name or ''}")
    claims = list(case.claims.all())
    if not claims:
        gaps.append(_("No claim: state what you ask the commission to decide"))
    for claim in claims:
        if not claim.description.strip():
            gaps.append(_("Claim %(n)d: the claim is not described") % {"n": claim.number})
        if claim.type in MONEY_CLAIMS and claim.amount is None:
            gaps.append(_("Claim %(n)d: the amount claimed is missing") % {"n": claim.number})
    if not case.facts_and_reasons.strip():
        gaps.append(_("Facts and reasons are missing"))
    if case.collective:
        workers = [p for p in applicants if p.kind == Party.Kind.WORKER]
        if len(workers) < 10:
            gaps.append(_("A collective case needs at least 10 workers on the applicant side"))
        representatives = sum(1 for p in workers if p.is_representative)
        if not 3 <= representatives <= 5:
            gaps.append(
                _("A collective case elects 3 to 5 representatives (%(n)d marked)")
                % {"n": representatives}
            )
    return gaps


# Statutory retirement ages before the 2025 gradual reform; a warning only, the officer checks.
_PENSION_AGE = {Party.Sex.MALE: 60, Party.Sex.FEMALE: 50}


def scope_findings(case: Case) -> list[Finding]:
    """Signs that this may not be a labor dispute (spec §1.3; 解释(一) arts. 2, 32)."""
    findings = [
        Finding(code, _("Scope: %(what)s") % {"what": NotLaborDispute(code).label})
        for code in case.not_labor_flags
        if code in NotLaborDispute.values
    ]
    on = case.received_at.date() if case.received_at else None
    for party in case.parties.all():
        if party.kind != Party.Kind.WORKER or party.role != Party.Role.APPLICANT:
            continue
        born = party.birth_date or (
            birth_date_from_id_number(party.id_number) if len(party.id_number) == 18 else None
        )
        if born and on and party.sex in _PENSION_AGE:
            age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
            if (
                age >= _PENSION_AGE[party.sex]
                and NotLaborDispute.PENSIONER not in case.not_labor_flags
            ):
                findings.append(
                    Finding(
                        "age",
                        _(
                            "Scope: %(name)s is %(age)d; if a pension is drawn the relationship "
                            "is labor service, not labor (解释(一) art. 32)."
                        )
                        % {"name": party.name, "age": age},
                    )
                )
    return findings


def competent_commissions(case: Case) -> list[Organisation]:
    """LDMAL art. 21; 办案规则 art. 8: place of performance, or the employer's location."""
    divisions = []
    if case.workplace_division_id:
        divisions.append(case.workplace_division_id)
    divisions += [
        party.domicile_division_id
        for party in case.parties.all()
        if party.role == Party.Role.RESPONDENT
        and party.kind == Party.Kind.EMPLOYER
        and party.domicile_division_id
    ]
    # Place of performance first: it prevails when both are seized (LDMAL art. 21).
    return commissions_for_divisions(divisions)


def commissions_for_divisions(codes: list[str]) -> list[Organisation]:
    """The active commission of each division code, in the order given, each once."""
    found = {
        org.division_id: org
        for org in Organisation.objects.filter(
            division_id__in=codes, type=Organisation.Type.COMMISSION, is_active=True
        )
    }
    return list({found[code].pk: found[code] for code in codes if code in found}.values())


def jurisdiction_findings(case: Case) -> list[Finding]:
    competent = competent_commissions(case)
    if not competent:
        return [
            Finding(
                "jurisdiction_unknown",
                _("Jurisdiction: enter the place of performance or the employer's location."),
            )
        ]
    if case.commission_id in {org.pk for org in competent}:
        return []
    return [
        Finding(
            "jurisdiction",
            _(
                "Jurisdiction: neither the place of performance nor the employer's location is "
                "in this commission's area; competent: %(names)s (LDMAL art. 21)."
            )
            % {"names": "、".join(org.name for org in competent)},
        )
    ]


def duplicate_findings(case: Case) -> list[Finding]:
    """The same parties with an application pending or decided (一事不再理, 办案规则 art. 34).

    Only for an application actually received: a draft could otherwise be used to probe other
    people's cases. Another commission's application is named by its commission only.
    """
    if case.status == Status.DRAFT:
        return []
    parties = list(case.parties.all())
    applicant_ids = {p.id_number for p in parties if p.role == Party.Role.APPLICANT and p.id_number}
    respondent_q = Q()
    for p in parties:
        if p.role != Party.Role.RESPONDENT:
            continue
        respondent_q |= Q(credit_code=p.credit_code) if p.credit_code else Q(name=p.name)
    if not applicant_ids or not respondent_q:
        return []
    claim_types = set(case.claims.values_list("type", flat=True))
    earlier = (
        Case.objects.filter(
            Q(status__in=BLOCKING_STATUSES)
            | Q(status=Status.ARCHIVED)
            & ~Q(pk__in=Case.objects.filter(_REAPPLICATION_ALLOWED).values("pk"))
        )
        .exclude(pk=case.pk)
        .filter(parties__role=Party.Role.APPLICANT, parties__id_number__in=applicant_ids)
        .filter(
            pk__in=Party.objects.filter(respondent_q, role=Party.Role.RESPONDENT).values("case")
        )
        .select_related("commission")
        .prefetch_related("claims")
        .distinct()
    )
    findings = []
    for other in earlier:
        if not claim_types & {claim.type for claim in other.claims.all()}:
            continue
        if other.status == Status.CLOSED_DEEMED_WITHDRAWN:
            message = _(
                "The same matter was deemed withdrawn after the applicant failed to attend "
                "(%(commission)s): a new application is not accepted (办案规则 art. 39)."
            ) % {"commission": other.commission.name}
        elif other.institute_id != case.institute_id:
            message = _(
                "An application with the same parties and claims exists at %(commission)s: "
                "ask that commission before deciding (办案规则 art. 34)."
            ) % {"commission": other.commission.name}
        else:
            message = _(
                "Same parties and claims as %(case)s (%(status)s): one matter is decided once "
                "(办案规则 art. 34)."
            ) % {
                "case": other.case_number or _("application no. %(id)s") % {"id": other.pk},
                "status": other.get_status_display(),
            }
        findings.append(Finding("duplicate", message))
    return findings


def warnings(case: Case) -> list[Finding]:
    """Everything the officer must have seen before acceptance."""
    return scope_findings(case) + jurisdiction_findings(case) + duplicate_findings(case)


def application_snapshot(case: Case) -> dict[str, object]:
    """The application's content as received: kept in events, so every version stays readable."""

    def plain(values: dict[str, object]) -> dict[str, object]:
        return {k: v if v is None or isinstance(v, bool) else str(v) for k, v in values.items()}

    parties = []
    for party in case.parties.order_by("pk").prefetch_related("agents"):
        values = plain(
            {
                field: getattr(party, field)
                for field in (
                    "role",
                    "kind",
                    "name",
                    "sex",
                    "birth_date",
                    "id_number",
                    "occupation",
                    "credit_code",
                    "legal_representative",
                    "legal_representative_title",
                    "domicile",
                    "domicile_division_id",
                    "mailing_address",
                    "phone",
                    "dispatch_role",
                    "is_representative",
                )
            }
        )
        values["agents"] = [
            plain(agent)
            for agent in party.agents.order_by("pk").values(
                "name",
                "kind",
                "authority",
                "id_number",
                "phone",
                "firm",
                "power_of_attorney_received",
            )
        ]
        parties.append(values)
    claims = [
        plain(claim)
        for claim in case.claims.order_by("number").values(
            "number", "type", "description", "amount"
        )
    ]
    return {
        "category": case.category,
        "personnel_subtype": case.personnel_subtype,
        "causes": list(case.causes),
        "collective": case.collective,
        "simplified": case.simplified,
        "public_hearing": case.public_hearing,
        "not_labor_flags": list(case.not_labor_flags),
        "facts": case.facts_and_reasons,
        "evidence": case.evidence_summary,
        "workplace": case.workplace_division_id,
        "parties": parties,
        "claims": claims,
    }  # fmt: skip


def digest_of(snapshot: dict[str, object]) -> str:
    return hashlib.sha256(
        json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def application_digest(case: Case) -> str:
    """SHA-256 of the application's content, stored in events to detect later edits."""
    return digest_of(application_snapshot(case))
