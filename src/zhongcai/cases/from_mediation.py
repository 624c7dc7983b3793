"""An arbitration application drafted from a mediation that did not settle the dispute
(LDMAL arts. 14–15; the mediation side is ``mediation.handover``): the content carried over as
the mediation holds it, the applicant's files attached, the dispute identity kept.

The draft has no legal effect: the application is made when it is received (``case_submit``),
by the applicant online or by the commission's intake officer at the counter (LDMAL art. 28).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from zhongcai.accounts.models import User
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Organisation

from .application import clean_application
from .documents import sha256_of
from .models import Case, Channel, EvidenceItem, Party, Status
from .services import _content, _write_content, case_create, institute_of


@dataclass(frozen=True)
class CarriedFile:
    """A file the applicant offers with the application: its evidence shared in the mediation,
    the mediation record, the agreement."""

    title: str
    file: File
    purpose: str = ""


@transaction.atomic
def draft_from_mediation(
    *,
    by: User,
    commission: Organisation,
    data: dict[str, Any],
    dispute: uuid.UUID,
    mediation_case: int,
    files: list[CarriedFile],
    owner: User | None = None,
    for_mediation_staff: bool = False,
) -> Case:
    """The draft application, and ``files`` as the first applicant's evidence.

    ``by`` a public user: its own online draft; the commission's intake staff: a counter draft
    (both through ``case_create``, which checks them). ``for_mediation_staff`` (the mediation
    side checked that ``by`` is staff of the case's organisation): the draft belongs to
    ``owner``, the online applicant of the mediation, who checks and submits it; with no owner
    (a walk-in) it is a counter draft that the commission's intake officers confirm with the
    party and receive. A mediator never receives an application for the commission.
    """
    if not for_mediation_staff:
        channel = Channel.ONLINE if by.is_public else Channel.COUNTER
        case = case_create(
            by=by, commission=commission, channel=channel, data=data, dispute=dispute
        )
    else:
        case = _draft_for(by, commission, owner, data, dispute, mediation_case)
    _attach(by, case, files, mediation_case)
    return case


def _draft_for(
    by: User,
    commission: Organisation,
    owner: User | None,
    data: dict[str, Any],
    dispute: uuid.UUID,
    mediation_case: int,
) -> Case:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if commission.type != Organisation.Type.COMMISSION or not commission.is_active:
        raise ValidationError({"commission": [_("Choose an arbitration commission.")]})
    clean = clean_application(data)
    # Simplified handling and scope findings are the commission's call (办案规则 art. 56).
    clean.case_fields.update(simplified=False, not_labor_flags=[])
    case = Case(
        commission=commission,
        institute=institute_of(commission),
        channel=Channel.ONLINE if owner else Channel.COUNTER,
        owner=owner,
        created_by=by,
        dispute=dispute,
    )
    _write_content(case, clean, owner or by)
    record_event(
        case,
        "case.drafted",
        actor=by,
        organisation=case.institute,
        payload={
            "to": Status.DRAFT,
            "channel": case.channel,
            "commission": commission.pk,
            "institute": case.institute_id,
            "dispute": str(case.dispute),
            "mediation_case": mediation_case,
            "owner": owner.pk if owner else None,
            **_content(case),
        },
    )
    return case


def _attach(by: User, case: Case, files: list[CarriedFile], mediation_case: int) -> None:
    if not files:
        return
    applicant = case.parties.filter(role=Party.Role.APPLICANT).order_by("pk").first()
    now = timezone.now()
    items = []
    for number, carried in enumerate(files, start=1):
        item = EvidenceItem(
            case=case,
            number=number,
            party=applicant,
            title=carried.title[:200],
            purpose=carried.purpose,
            file_name=(carried.file.name or "").rsplit("/", 1)[-1][-200:],
            size=carried.file.size or 0,
            sha256=sha256_of(carried.file),  # type: ignore[arg-type]
            submitted_at=now,
            recorded_by=by,
        )
        item.file.save(item.file_name or f"{number}.pdf", carried.file, save=False)
        item.save()
        items.append(
            {"evidence": item.pk, "number": item.number, "sha256": item.sha256, "size": item.size}
        )
    record_event(
        case,
        "case.application_evidence_added",
        actor=by,
        organisation=case.institute,
        payload={"mediation_case": mediation_case, "items": items},
    )
