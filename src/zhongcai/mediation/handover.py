"""A mediation that did not settle the dispute becomes an arbitration application in one step
(LDMAL arts. 14–15; issue 8 point 5).

After a decline, a failure (also a deemed failure on day 16), a refused arbitral review or a
breach of the agreement, the dispute may go to arbitration. The step drafts the application with
the parties, claims, facts and the dispute identity carried over (``services.arbitration_data``),
and attaches, as the applicant's evidence: its own evidence shared in the mediation, a record of
the mediation (who, when, the outcome and why) and, after a breach, the agreement (LDMAL art. 15:
the commission may award on it). Never the messages or proposals: what was said or offered to
reach agreement may not be used against a party (人民法院在线调解规则, spec §9.2).

Who takes the step, and what it makes (``cases.from_mediation``):

- a party (online): its own draft, to check and submit. If the respondent applies, it becomes the
  applicant and the other side the respondent; the claims and facts the other side wrote are not
  put in its mouth — it writes its own.
- the mediation organisation's staff (the mediator's hand-over): the draft of the online
  applicant, who is notified; for a walk-in (no account), a counter draft that the commission's
  intake officers are asked to confirm with the applicant and receive. A mediator passes the case
  on; only the applicant or the commission's intake makes it an application (LDMAL art. 28).
- the commission's intake staff at the counter: a counter draft, as ``case_create`` allows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhongcai.accounts.models import Role, User
from zhongcai.cases.checks import commissions_for_divisions
from zhongcai.cases.from_mediation import CarriedFile, draft_from_mediation
from zhongcai.cases.models import Case
from zhongcai.documents.markup import Block
from zhongcai.orgs.models import Organisation

from .models import Audience, MediationCase, MediationParty, ReviewStatus, SharedFile, Status
from .parties import acts_for, party_for
from .workflow import STAFF_ROLES, TransitionError, transition

SOURCES = frozenset({Status.DECLINED, Status.FAILED, Status.REVIEW_REFUSED, Status.BREACHED})


def default_commission(case: MediationCase) -> Organisation | None:
    """The competent commission (LDMAL art. 21): of the place of work first, else of the
    employer's location."""
    divisions = [case.workplace_division_id] if case.workplace_division_id else []
    divisions += [
        p.domicile_division_id
        for p in case.parties.all()
        if p.kind == MediationParty.Kind.EMPLOYER and p.domicile_division_id
    ]
    found = commissions_for_divisions([d for d in divisions if d])
    return found[0] if found else None


def commission_choices() -> list[Organisation]:
    return list(
        Organisation.objects.filter(type=Organisation.Type.COMMISSION, is_active=True).order_by(
            "division_id"
        )
    )


def is_mediation_staff(user: User, case: MediationCase) -> bool:
    return (
        not user.is_public
        and user.role in STAFF_ROLES
        and user.organisation_id == case.organisation_id
    )


def applying_party(by: User, case: MediationCase) -> MediationParty | None:
    """The party that applies: the one a public user acts for; otherwise the applicant."""
    if by.is_public:
        return party_for(by, case)
    return case.parties.filter(role=MediationParty.Role.APPLICANT).order_by("pk").first()


def _evidence_of(case: MediationCase, party: MediationParty | None) -> list[CarriedFile]:
    """The applying party's own evidence, shared with everyone in the room: what it uploaded
    itself. What it gave the mediator alone in a caucus stays there (it may not want the other
    side to see it; it can add it to the application itself), and other parties' files, even of
    its own side, are theirs to offer."""
    if party is None:
        return []
    files = []
    shared = case.files.filter(
        kind=SharedFile.Kind.EVIDENCE, audience=Audience.JOINT, side=party.role
    ).select_related("uploaded_by")
    for item in shared.order_by("pk"):
        if not acts_for(item.uploaded_by, party):
            continue
        item.file.open("rb")
        files.append(
            CarriedFile(
                title=item.title,
                file=File(item.file, name=item.file.name.rsplit("/", 1)[-1]),
                purpose=_("Shared in the mediation on %(date)s.")
                % {"date": timezone.localdate(item.created_at).isoformat()},
            )
        )
    return files


def _outcome_reason(case: MediationCase) -> str:
    if case.status == Status.DECLINED:
        return case.decline_reason
    if case.status == Status.FAILED:
        return case.failure_reason
    if case.status == Status.BREACHED:
        return case.breach_note
    review = (
        case.reviews.filter(status__in=[ReviewStatus.NOT_ACCEPTED, ReviewStatus.REFUSED])
        .order_by("-decided_at", "-pk")
        .first()
    )
    if review is None:
        return ""
    ground = review.get_ground_display() if review.ground else ""
    return "；".join(t for t in (str(ground), review.reasons) if t)


def _day(value: Any) -> str:
    return timezone.localdate(value).isoformat() if value else "—"


def record_blocks(case: MediationCase) -> list[Block]:
    """The mediation record (调解情况记录): facts of the procedure only. What the parties said
    or offered in the room is not in it, and no field of it is read from the room."""
    agreement = getattr(case, "agreement", None)  # none until drafted
    rows = [
        (_("Mediation organisation"), case.organisation.name),
        (_("Dispute"), str(case.dispute)),
        (_("Mediator"), case.mediator.name if case.mediator else "—"),
        (_("Received"), _day(case.received_at)),
        (_("Accepted"), _day(case.accepted_at)),
        (_("Concluded"), _day(case.concluded_at or case.breached_at)),
        (_("Outcome"), str(case.get_status_display())),
        (_("Reason"), _outcome_reason(case) or "—"),
    ]
    if agreement is not None and case.status == Status.BREACHED:
        rows.append((_("Agreement"), agreement.number))
    blocks = [
        Block("caption", case.organisation.name),
        Block("title", _("Record of the mediation")),
        *(
            Block("field", cells=(label, p.name))
            for p in case.parties.order_by("pk")
            for label in [str(p.get_role_display())]
        ),
        *(Block("field", cells=(str(label), value)) for label, value in rows),
        Block(
            "note",
            _(
                "Messages, proposals and what was said to reach agreement are not part of "
                "this record: they may not be used against a party."
            ),
        ),
        Block("date", timezone.localdate().isoformat()),
    ]
    return blocks


def _record_file(case: MediationCase) -> CarriedFile:
    from zhongcai.documents.render import to_pdf

    title = _("Record of the mediation (调解情况记录)")
    pdf = to_pdf(record_blocks(case), title=title)
    return CarriedFile(
        title=title,
        file=ContentFile(pdf, name=f"mediation-record-{case.pk}.pdf"),
        purpose=_("That the dispute went through mediation, and how it ended (LDMAL art. 14)."),
    )


def _agreement_file(case: MediationCase) -> CarriedFile | None:
    """After a breach, the agreement the other side did not perform (LDMAL art. 15)."""
    agreement = getattr(case, "agreement", None)  # none until drafted
    if case.status != Status.BREACHED or agreement is None or not agreement.pdf:
        return None
    agreement.pdf.open("rb")
    return CarriedFile(
        title=_("Mediation agreement %(number)s (调解协议书)") % {"number": agreement.number},
        file=File(agreement.pdf, name=agreement.pdf.name.rsplit("/", 1)[-1]),
        purpose=_("The agreement that was not performed (LDMAL art. 15)."),
    )


def _refuse_second_draft(by: User, case: MediationCase, staff: bool) -> None:
    """One draft per applicant: the same user (or staff, for the organisation's hand-over) does
    not make a second; another party's unsubmitted draft does not stop this one (the
    transition's guard refuses once an application was submitted)."""
    existing = case.arbitration_case
    if existing is None:
        return
    if (
        existing.owner_id == by.pk
        or (staff and existing.created_by_id == by.pk)
        or (staff and existing.owner_id == case.owner_id)
    ):
        raise TransitionError(_("This case was already turned into an arbitration application."))


def _roles_for(applying: MediationParty | None) -> bool:
    """Whether the roles turn round: the respondent of the mediation applies."""
    return applying is not None and applying.role == MediationParty.Role.RESPONDENT


@transaction.atomic
def to_arbitration(*, by: User, case: MediationCase, commission: Organisation | None) -> Case:
    """Turn the mediation into a draft arbitration application (see the module's docstring).

    Preconditions: DECLINED, FAILED, REVIEW_REFUSED or BREACHED; not yet sent; not a mediation
    entrusted by a tribunal (that dispute is already in arbitration). Side effects: the online
    applicant is notified of a hand-over by staff; for a walk-in, the commission's intake
    officers are.
    """
    from .services import arbitration_data

    if case.entrusted_by_id is not None:
        raise TransitionError(
            _("This mediation was entrusted by an arbitration tribunal: the case goes on there.")
        )
    if commission is None:
        raise ValidationError({"commission": [_("Choose the commission you apply to.")]})
    created: list[Case] = []

    def apply(locked: MediationCase) -> dict[str, Any]:
        staff = is_mediation_staff(by, locked)
        applying = applying_party(by, locked)
        _refuse_second_draft(by, locked, staff)
        swapped = _roles_for(applying)
        # The record and the agreement are documents of record: in the platform's language.
        with translation.override(settings.LANGUAGE_CODE):
            files = [*_evidence_of(locked, applying), _record_file(locked)]
            agreement = _agreement_file(locked)
        if agreement is not None:
            files.append(agreement)
        arbitration = draft_from_mediation(
            by=by,
            commission=commission,
            data=arbitration_data(locked, applying=None if staff else applying),
            dispute=locked.dispute,
            mediation_case=locked.pk,
            files=files,
            owner=locked.owner if staff else None,
            for_mediation_staff=staff,
        )
        locked.arbitration_case = arbitration
        created.append(arbitration)
        if staff:
            _tell_who_goes_on(locked, arbitration)
        return {
            "arbitration_case": arbitration.pk,
            "commission": commission.pk,
            "dispute": str(locked.dispute),
            "roles_swapped": swapped,
            "files": len(files),
        }

    transition(case, "to_arbitration", by=by, apply=apply)
    return created[0]


def _tell_who_goes_on(case: MediationCase, arbitration: Case) -> None:
    from zhongcai.notifications.services import notify

    if case.owner is not None:
        notify(
            case.owner,
            "mediation.handed_over",
            _("Your mediation was handed over to arbitration: check and submit the application"),
            link=reverse("mediation-portal:handover-draft", args=[case.pk]),
            case=arbitration,
            key=f"mediation-handover-{case.pk}",
        )
        return
    intake = User.objects.filter(
        organisation_id=arbitration.institute_id, role=Role.INTAKE_OFFICER, is_active=True
    )
    for officer in intake:
        notify(
            officer,
            "mediation.handed_over",
            _("A failed mediation was handed over: confirm it with the applicant and receive it"),
            link=reverse("cases:case-detail", args=[arbitration.pk]),
            case=arbitration,
            key=f"mediation-handover-{case.pk}-{officer.pk}",
        )
