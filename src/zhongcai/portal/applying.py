"""The guided online application (网上预立案): drafts, their steps, and submission.

A draft is the worker's own notebook: it has no legal effect, only its owner sees it, and it is
kept on the server so that it can be resumed on another device. Every save carries the version
the worker was looking at; a save from an older version (the draft was changed meanwhile on
another device) is refused, so nothing typed elsewhere is overwritten. Submitting turns it, in
one transaction, into a case received by the commission (办案规则 art. 29), once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhongcai.accounts.models import User
from zhongcai.cases import checks
from zhongcai.cases.application import clean_application
from zhongcai.cases.evidence import application_evidence_add
from zhongcai.cases.models import Case, Channel, Party
from zhongcai.cases.services import case_create, case_submit
from zhongcai.cases.serving import service_address_confirm, upload_problems
from zhongcai.cases.taxonomy import MONEY_CLAIMS, Cause, ClaimType
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Organisation

from .limitation import LimitationNote, limitation_notes
from .models import ApplicationDraft, DraftAttachment

# The steps in order: (slug, title). The slugs are in URLs; other pages link to them.
STEPS: list[tuple[str, Any]] = [
    ("you", gettext_lazy("About you")),
    ("employer", gettext_lazy("The employer")),
    ("work", gettext_lazy("Your work and what happened")),
    ("claims", gettext_lazy("What you claim")),
    ("evidence", gettext_lazy("Evidence")),
    ("review", gettext_lazy("Check and submit")),
]
STEP_SLUGS = [slug for slug, _title in STEPS]
# A draft for mediation asks a mediation organisation, not the commission, for something.
MEDIATION_TITLES: dict[str, Any] = {"claims": pgettext_lazy("mediation", "Claims")}


def steps_for(draft: ApplicationDraft) -> list[tuple[str, Any]]:
    """The steps with the titles the draft's destination needs (调解请求, not 仲裁请求)."""
    if not draft.for_mediation:
        return STEPS
    return [(slug, MEDIATION_TITLES.get(slug, title)) for slug, title in STEPS]


MAX_ATTACHMENTS = 30

# Each claim type suggests the cause (案由, spec §7.2) the commission files it under.
CAUSE_OF_CLAIM = {
    ClaimType.REMUNERATION: Cause.REMUNERATION,
    ClaimType.ECONOMIC_COMPENSATION: Cause.ECONOMIC_COMPENSATION,
    ClaimType.DAMAGES: Cause.DAMAGES,
    ClaimType.WORK_INJURY_MEDICAL: Cause.WORK_INJURY,
    ClaimType.CONFIRM_RELATIONSHIP: Cause.LABOR_RELATIONSHIP,
    ClaimType.REINSTATEMENT: Cause.TERMINATION,
    ClaimType.SOCIAL_INSURANCE: Cause.SOCIAL_INSURANCE,
    ClaimType.WORKING_TIME_REST: Cause.REST_LEAVE,
    ClaimType.DOCUMENTS: Cause.TERMINATION,
    ClaimType.OTHER: Cause.OTHER,
}


class StaleDraft(Exception):
    """The draft was saved elsewhere since the worker loaded it: nothing was written."""


# --- Reads ---------------------------------------------------------------------------------


def drafts_of(user: User) -> Any:
    return ApplicationDraft.objects.filter(owner=user).select_related(
        "submitted_case", "commission", "submitted_mediation__organisation"
    )


def get_draft_for(user: User, pk: int) -> ApplicationDraft:
    """The user's own draft; anyone else's, or none, is the same 404."""
    if not user.is_authenticated:
        raise Http404
    try:
        return drafts_of(user).get(pk=pk)
    except ApplicationDraft.DoesNotExist:
        raise Http404 from None


def section_of(draft: ApplicationDraft, step: str) -> dict[str, Any]:
    value = draft.data.get(step)
    return value if isinstance(value, dict) else {}


def claims_of(draft: ApplicationDraft) -> list[dict[str, Any]]:
    value = draft.data.get("claims")
    return [c for c in value if isinstance(c, dict)] if isinstance(value, list) else []


def _as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def employment_ended_on(draft: ApplicationDraft) -> date | None:
    work = section_of(draft, "work")
    if work.get("still_employed") == "yes":
        return None
    return _as_date(work.get("ended_on"))


def application_data(draft: ApplicationDraft) -> dict[str, Any]:
    """The draft in the shape ``cases.application.clean_application`` takes."""
    you, employer, work = (section_of(draft, s) for s in ("you", "employer", "work"))
    claims = claims_of(draft)
    worker = {
        "role": "applicant",
        "kind": "worker",
        "name": you.get("name", ""),
        "id_number": you.get("id_number", ""),
        "phone": you.get("phone", ""),
        "domicile": you.get("domicile", ""),
        "domicile_division": you.get("domicile_division", ""),
        "mailing_address": you.get("mailing_address") or you.get("domicile", ""),
        "occupation": you.get("occupation", ""),
    }
    respondent = {
        "role": "respondent",
        "kind": "employer",
        **{
            key: employer.get(key, "")
            for key in (
                "name",
                "credit_code",
                "domicile",
                "domicile_division",
                "legal_representative",
                "legal_representative_title",
                "phone",
            )
        },
    }
    respondent["mailing_address"] = respondent["domicile"]
    causes = list(
        dict.fromkeys(
            str(CAUSE_OF_CLAIM[ClaimType(c["type"])])
            for c in claims
            if c.get("type") in ClaimType.values
        )
    )
    return {
        "category": "labor",
        "causes": causes,
        "facts_and_reasons": _facts(work),
        "evidence_summary": "、".join(a.title for a in draft.attachments.all()),
        "workplace_division": work.get("workplace_division", ""),
        "parties": [worker, respondent],
        "claims": [
            {
                "type": c.get("type", ""),
                "amount": c.get("amount", ""),
                "description": c.get("description", ""),
            }
            for c in claims
        ],
    }


def _facts(work: dict[str, Any]) -> str:
    """The worker's own words, after the dates they gave (which the officer needs first)."""
    lines = []
    started, ended = _as_date(work.get("started_on")), _as_date(work.get("ended_on"))
    if started:
        lines.append(_("Employment began on %(date)s.") % {"date": started.isoformat()})
    if work.get("still_employed") == "yes":
        lines.append(_("The applicant still works for the employer."))
    elif ended:
        lines.append(_("Employment ended on %(date)s.") % {"date": ended.isoformat()})
    knew = _as_date(work.get("knew_on"))
    if knew:
        lines.append(
            _("The applicant learned of the infringement on %(date)s.") % {"date": knew.isoformat()}
        )
    facts = str(work.get("facts") or "").strip()
    if not facts:
        return ""  # a gap: the facts are the worker's to tell
    return "\n".join([" ".join(lines), facts] if lines else [facts])


@dataclass(frozen=True)
class Gap:
    step: str
    message: str


# Where a problem reported by ``clean_application`` is fixed.
def _step_of(where: str) -> str:
    if where.startswith("parties.0"):
        return "you"
    if where.startswith("parties.1"):
        return "employer"
    if where.startswith("claims"):
        return "claims"
    if where == "commission":
        return "review"
    return "work"


def draft_gaps(draft: ApplicationDraft) -> list[Gap]:
    """Everything the application still lacks (办案规则 art. 29), each with the step that fixes
    it: the same items ``cases.checks.missing_items`` checks on a case, before there is one."""
    you, employer, work = (section_of(draft, s) for s in ("you", "employer", "work"))
    gaps: list[Gap] = []

    def need(step: str, values: dict[str, Any], wanted: dict[str, Any]) -> None:
        for key, label in wanted.items():
            if not str(values.get(key) or "").strip():
                gaps.append(Gap(step, _("%(field)s is missing") % {"field": label}))

    need(
        "you",
        you,
        {
            "name": _("Your name"),
            "id_number": _("Your ID number"),
            "phone": _("Your mobile number"),
            "domicile": _("Your address"),
        },
    )
    need(
        "employer",
        employer,
        {
            "name": _("The employer's name"),
            "domicile": _("The employer's address"),
            "legal_representative": _("The employer's legal representative"),
            "legal_representative_title": _("The legal representative's position"),
        },
    )
    need("work", work, {"facts": _("What happened")})
    if not work.get("workplace_division") and not employer.get("domicile_division"):
        gaps.append(Gap("work", _where_missing(draft)))
    claims = claims_of(draft)
    if not claims:
        gaps.append(Gap("claims", _no_claim(draft)))
    for number, claim in enumerate(claims, start=1):
        if not str(claim.get("description") or "").strip():
            gaps.append(Gap("claims", _("Claim %(n)d: describe it") % {"n": number}))
        if claim.get("type") in MONEY_CLAIMS and claim.get("amount") in (None, ""):
            gaps.append(Gap("claims", _("Claim %(n)d: the amount is missing") % {"n": number}))
    try:
        clean_application(application_data(draft))
    except ValidationError as exc:
        for where, messages in exc.message_dict.items():
            gaps += [Gap(_step_of(where), message) for message in messages]
    return gaps


def _where_missing(draft: ApplicationDraft) -> str:
    if draft.for_mediation:
        return _("Where you worked is missing: it decides which mediation organisations can help")
    return _("Where you worked is missing: it decides which commission is competent")


def _no_claim(draft: ApplicationDraft) -> str:
    if draft.for_mediation:
        return _("Nothing asked for yet: say what you ask the other side for")
    return _("No claim: say what you ask the commission to decide")


@dataclass(frozen=True)
class CompetentCommission:
    commission: Organisation
    reason: Any  # place of work, the employer's location, or both


def competent_for(draft: ApplicationDraft) -> list[CompetentCommission]:
    """LDMAL art. 21; 办案规则 art. 8: the commission of the place of work, or of the employer's
    location; the place of work first (it prevails when both are seized)."""
    workplace = section_of(draft, "work").get("workplace_division") or ""
    location = section_of(draft, "employer").get("domicile_division") or ""
    found = checks.commissions_for_divisions([c for c in (workplace, location) if c])
    result = []
    for commission in found:
        reasons = []
        if commission.division_id == workplace:
            reasons.append(_("where you worked"))
        if commission.division_id == location:
            reasons.append(_("where the employer is"))
        result.append(CompetentCommission(commission, "、".join(reasons)))
    return result


def limitation_of(draft: ApplicationDraft) -> list[LimitationNote]:
    work = section_of(draft, "work")
    return limitation_notes(
        knew_on=_as_date(work.get("knew_on")),
        ended_on=employment_ended_on(draft),
        claim_types=[str(c.get("type")) for c in claims_of(draft) if c.get("type")],
        today=timezone.localdate(),
        still_employed=work.get("still_employed") == "yes",
    )


# --- Writes --------------------------------------------------------------------------------


def _ensure_public(by: User) -> None:
    if not by.is_public:
        raise PermissionDenied(_("Applications are made online by workers themselves."))


# Unfinished applications one person keeps at a time (each may hold files): enough for a
# worker with disputes against two employers, not a store.
MAX_OPEN_DRAFTS = 5


@transaction.atomic
def draft_create(
    *, by: User, destination: str = ApplicationDraft.Destination.ARBITRATION
) -> ApplicationDraft:
    """A new draft, with what the account already knows about its owner filled in; for
    arbitration, or for mediation first (the same steps, another last one)."""
    _ensure_public(by)
    if destination not in ApplicationDraft.Destination.values:
        raise ValidationError({"destination": [_("Choose mediation or arbitration.")]})
    User.objects.select_for_update().filter(pk=by.pk).first()  # one new draft at a time
    if (
        ApplicationDraft.objects.filter(owner=by, submitted_case__isnull=True).count()
        >= MAX_OPEN_DRAFTS
    ):
        raise ValidationError(
            _(
                "You have %(count)d unfinished applications. Finish or delete one before "
                "starting another."
            )
            % {"count": MAX_OPEN_DRAFTS}
        )
    draft = ApplicationDraft.objects.create(
        owner=by,
        destination=destination,
        data={
            "you": {
                "name": by.real_name,
                "id_number": by.id_number or "",
                "phone": by.mobile or "",
            }
        },
    )
    record_event(draft, "draft.created", actor=by, payload={"destination": destination})
    return draft


def _lock(by: User, draft: ApplicationDraft, version: int | None) -> ApplicationDraft:
    """The draft under a row lock, after checking it is the owner's, still open, and current."""
    locked = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.owner_id != by.pk:
        raise Http404
    if locked.is_submitted:
        raise ValidationError(_("This application was already submitted; it cannot be changed."))
    if version != locked.version:
        raise StaleDraft
    return locked


def _bump(locked: ApplicationDraft) -> None:
    locked.version += 1
    locked.save()


@transaction.atomic
def draft_save_step(
    *, by: User, draft: ApplicationDraft, version: int | None, step: str, values: Any
) -> ApplicationDraft:
    """Store one step's values (already checked by its form) and raise the version."""
    if step not in STEP_SLUGS[:4]:
        raise ValueError(step)
    locked = _lock(by, draft, version)
    locked.data = {**locked.data, step: values}
    _bump(locked)
    record_event(locked, "draft.saved", actor=by, payload={"step": step, "version": locked.version})
    return locked


@transaction.atomic
def draft_set_destination(
    *, by: User, draft: ApplicationDraft, version: int | None, destination: str
) -> ApplicationDraft:
    """Switch the draft between mediation and arbitration before submitting it."""
    if destination not in ApplicationDraft.Destination.values:
        raise ValidationError({"destination": [_("Choose mediation or arbitration.")]})
    locked = _lock(by, draft, version)
    if locked.destination != destination:
        locked.destination = destination
        _bump(locked)
        record_event(locked, "draft.destination_set", actor=by, payload={"to": destination})
    return locked


@transaction.atomic
def draft_delete(*, by: User, draft: ApplicationDraft) -> None:
    """Throw a draft away. A submitted one stays: it links the worker to the case."""
    locked = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.owner_id != by.pk:
        raise Http404
    if locked.is_submitted:
        raise ValidationError(_("A submitted application cannot be deleted."))
    record_event(locked, "draft.deleted", actor=by)
    names = [a.file.name for a in locked.attachments.all() if a.file]
    storage = DraftAttachment._meta.get_field("file").storage  # type: ignore[attr-defined]
    locked.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _sha256(file: Any) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def draft_attachment_add(
    *,
    by: User,
    draft: ApplicationDraft,
    version: int | None,
    title: str,
    file: UploadedFile | None,
) -> DraftAttachment:
    """An evidence file for the application, checked like every upload (size, real content)."""
    title = title.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Say what this file shows, e.g. “pay slips for May”.")]
    if file is None:
        errors["file"] = [_("Choose a file to upload.")]
    errors |= upload_problems(file, "file")
    locked = _lock(by, draft, version)
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        errors.setdefault("file", []).append(
            _("At most %(n)d files: put several pages in one PDF.") % {"n": MAX_ATTACHMENTS}
        )
    if errors or file is None:
        raise ValidationError(errors)
    attachment = DraftAttachment(
        draft=locked,
        title=title[:200],
        file_name=(file.name or "")[-200:],
        size=file.size or 0,
        sha256=_sha256(file),
        uploaded_at=timezone.now(),
    )
    attachment.file = file  # type: ignore[assignment]
    attachment.save()
    _bump(locked)
    record_event(
        locked,
        "draft.attachment_added",
        actor=by,
        payload={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def draft_attachment_remove(
    *, by: User, draft: ApplicationDraft, version: int | None, attachment_id: int
) -> None:
    locked = _lock(by, draft, version)
    attachment = locked.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    _bump(locked)
    record_event(
        locked, "draft.attachment_removed", actor=by, payload={"attachment": attachment_id}
    )
    transaction.on_commit(lambda: storage.delete(name))


def _choose_commission(draft: ApplicationDraft, commission: Organisation | None) -> Organisation:
    competent = [c.commission for c in competent_for(draft)]
    if commission is None:
        commission = draft.commission or (competent[0] if len(competent) == 1 else None)
    if commission is None:
        raise ValidationError({"commission": [_("Choose the commission you apply to.")]})
    if commission.type != Organisation.Type.COMMISSION or not commission.is_active:
        raise ValidationError({"commission": [_("Choose an arbitration commission.")]})
    if competent and commission not in competent:
        raise ValidationError(
            {"commission": [_("Choose one of the commissions competent for your case.")]}
        )
    return commission


@transaction.atomic
def draft_submit(
    *,
    by: User,
    draft: ApplicationDraft,
    version: int | None,
    commission: Organisation | None = None,
) -> Case:
    """Submit the application: one case, received, with its receipt (办案规则 art. 29).

    Under the draft's row lock: a second submission (a double click, another device) gets the
    case the first one created, never a second case. Any problem leaves nothing written.
    """
    _ensure_public(by)
    locked = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.owner_id != by.pk:
        raise Http404
    if locked.submitted_case_id is not None:
        return Case.objects.get(pk=locked.submitted_case_id)
    if locked.submitted_mediation_id is not None:
        raise ValidationError(_("This application was already submitted for mediation."))
    if version != locked.version:
        raise StaleDraft
    chosen = _choose_commission(locked, commission)
    gaps = draft_gaps(locked)
    if gaps:
        raise ValidationError({"application": [gap.message for gap in gaps]})
    case = case_create(
        by=by, commission=chosen, channel=Channel.ONLINE, data=application_data(locked)
    )
    for attachment in locked.attachments.all():
        with attachment.file.open("rb") as handle:
            application_evidence_add(
                by=by,
                case=case,
                title=attachment.title,
                file=File(handle, name=attachment.file_name),  # type: ignore[arg-type]
            )
    case = case_submit(by=by, case=case)
    _confirm_service_address(by, case, section_of(locked, "you"))
    locked.commission = chosen
    locked.submitted_case = case
    # The files now live in the case's evidence: the draft's copies go once this commits.
    transaction.on_commit(partial(_discard_attachments, locked.pk))
    _bump(locked)
    record_event(locked, "draft.submitted", actor=by, payload={"case": case.pk})
    return case


def _confirm_service_address(by: User, case: Case, you: dict[str, Any]) -> None:
    """The applicant's 送达地址确认书, confirmed with the application: online service if it
    consented, else post to its address for letters."""
    applicant = case.parties.filter(role=Party.Role.APPLICANT).order_by("pk").first()
    if applicant is None:
        return
    service_address_confirm(
        by=by,
        case=case,
        party=applicant,
        electronic_consent=bool(you.get("electronic_service")),
        mobile=you.get("phone", "") or "",
        postal_address=(you.get("mailing_address") or you.get("domicile") or "")[:200],
    )


def _discard_attachments(draft_pk: int) -> None:
    for attachment in DraftAttachment.objects.filter(draft_id=draft_pk):
        attachment.file.delete(save=False)
        attachment.delete()


def total_claimed(draft: ApplicationDraft) -> Decimal:
    total = Decimal(0)
    for claim in claims_of(draft):
        try:
            total += Decimal(str(claim.get("amount") or 0))
        except ArithmeticError:
            continue
    return total
