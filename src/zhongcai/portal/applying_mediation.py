"""The guided online application ending in mediation (调解) instead of arbitration.

The same draft, steps and checks as ``applying``; the last step offers the competent mediation
organisations (``mediation.routing``) and submits through ``mediation.services.mediation_apply``.
The draft's evidence files go into the case's room as joint evidence of the applicant.
"""

from __future__ import annotations

import mimetypes
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.core.events import record_event
from zhongcai.mediation import routing
from zhongcai.mediation.models import Audience, Channel, MediationCase, SharedFile
from zhongcai.mediation.models.room import Side
from zhongcai.mediation.services import mediation_apply
from zhongcai.orgs.models import Organisation

from .applying import (
    StaleDraft,
    _discard_attachments,
    application_data,
    draft_gaps,
    section_of,
)
from .models import ApplicationDraft


def organisations_for(draft: ApplicationDraft) -> list[routing.Suggestion]:
    """The mediation organisations competent for the draft's dispute, closest first."""
    employer, work = section_of(draft, "employer"), section_of(draft, "work")
    data = application_data(draft)
    return routing.competent_organisations(
        workplace_division=work.get("workplace_division") or None,
        employer_credit_code=str(employer.get("credit_code") or ""),
        causes=data["causes"],
        employer_name=str(employer.get("name") or ""),
        employer_division=employer.get("domicile_division") or None,
    )


def all_organisations() -> list[Organisation]:
    """Every active mediation organisation, for when the places given match none."""
    return list(
        Organisation.objects.filter(
            type=Organisation.Type.MEDIATION_ORGANISATION, is_active=True
        ).order_by("division_id", "name")
    )


def _choose(draft: ApplicationDraft, organisation: Organisation | None) -> Organisation:
    if organisation is None:
        raise ValidationError(
            {"organisation": [_("Choose the mediation organisation you apply to.")]}
        )
    if not routing.is_mediation_organisation(organisation):
        raise ValidationError({"organisation": [_("Choose a mediation organisation.")]})
    competent = [s.organisation.pk for s in organisations_for(draft)]
    if competent and organisation.pk not in competent:
        raise ValidationError(
            {
                "organisation": [
                    _("Choose one of the mediation organisations suggested for your dispute.")
                ]
            }
        )
    return organisation


@transaction.atomic
def draft_submit_mediation(
    *,
    by: User,
    draft: ApplicationDraft,
    version: int | None,
    organisation: Organisation | None,
) -> MediationCase:
    """Apply for mediation with the draft: one mediation case, received now, whose acceptance
    is due in 3 working days (企业劳动争议协商调解规定). Under the draft's row lock: a second
    submission (double click, another tab) gets the case the first created. Any problem leaves
    nothing written."""
    if not by.is_public:
        raise PermissionDenied(_("Applications are made online by workers themselves."))
    locked = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.owner_id != by.pk:
        raise Http404
    if locked.submitted_mediation_id is not None:
        return MediationCase.objects.get(pk=locked.submitted_mediation_id)
    if locked.submitted_case_id is not None:
        raise ValidationError(_("This application was already submitted for arbitration."))
    if version != locked.version:
        raise StaleDraft
    chosen = _choose(locked, organisation)
    gaps = draft_gaps(locked)
    if gaps:
        raise ValidationError({"application": [gap.message for gap in gaps]})
    case = mediation_apply(
        by=by, organisation=chosen, data=application_data(locked), channel=Channel.ONLINE
    )
    _carry_evidence(by, locked, case)
    locked.destination = ApplicationDraft.Destination.MEDIATION
    locked.submitted_mediation = case
    locked.version += 1
    locked.save()
    transaction.on_commit(partial(_discard_attachments, locked.pk))
    record_event(locked, "draft.submitted", actor=by, payload={"mediation_case": case.pk})
    return case


def _carry_evidence(by: User, draft: ApplicationDraft, case: MediationCase) -> None:
    """The draft's files, already checked on upload, become the applicant's joint evidence in
    the case room; the event names them by hash only."""
    shared = []
    for attachment in draft.attachments.order_by("uploaded_at", "pk"):
        item = SharedFile(
            case=case,
            audience=Audience.JOINT,
            party=None,
            side=Side.APPLICANT,
            kind=SharedFile.Kind.EVIDENCE,
            title=attachment.title,
            sha256=attachment.sha256,
            size=attachment.size,
            content_type=mimetypes.guess_type(attachment.file_name)[0]
            or "application/octet-stream",
            uploaded_by=by,
        )
        with attachment.file.open("rb") as handle:
            item.file.save(attachment.file_name, File(handle), save=False)
        item.save()
        shared.append({"file": item.pk, "sha256": item.sha256})
    if shared:
        record_event(
            case,
            "mediation.file_shared",
            actor=by,
            organisation=case.organisation,
            payload={"files": shared, "audience": Audience.JOINT, "with_application": True},
        )
