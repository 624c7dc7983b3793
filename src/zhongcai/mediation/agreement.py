"""The mediation agreement (调解协议书): draft, signatures, seal → effective; then court
confirmation and breach. Arbitral review is in ``review``.

LDMAL art. 14: the agreement takes effect when both parties have signed (or sealed) it, the
mediator has signed it and the organisation has sealed it; online, by electronic signatures and
the organisation's electronic seal (人民法院在线调解规则 art. 19). Once anyone has signed, nothing
of the agreement changes: every service here refuses, and the digest each signature recorded
stays the agreement's digest.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.cases.numbering import default_abbreviation
from zhongcai.core.calendar import add_calendar_days
from zhongcai.orgs.models import Organisation

from . import agreement_text
from .models import Agreement, AgreementSignature, MediationCase, MediationParty, Proposal
from .parties import party_for
from .services import MAX_REASON, _agreed_items, _reason
from .workflow import TransitionError, transition

COURT_DAYS = 30  # 人民调解法 art. 33; 民诉法 art. 205: jointly, within 30 days of effect
MAX_COURT_NAME = 100


def agreement_of(case: MediationCase) -> Agreement | None:
    return Agreement.objects.filter(case_id=case.pk).first()


def _locked_agreement(case: MediationCase) -> Agreement:
    agreement = Agreement.objects.select_for_update().filter(case_id=case.pk).first()
    if agreement is None:
        raise ValidationError({"agreement": [_("There is no agreement to sign yet.")]})
    return agreement


def _number(organisation: Organisation, year: int) -> str:
    """济历下调协字〔2026〕第1号, in the style of the commission's numbers (济历下劳人仲案字〔2026〕
    第12号): per organisation and year. The organisation's row is locked for the rest of the
    transaction, so two drafts never take the same number."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    prefix = f"{default_abbreviation(organisation)}调协字〔{year}〕第"
    taken = set(
        Agreement.objects.filter(
            case__organisation=organisation, number__startswith=prefix
        ).values_list("number", flat=True)
    )
    seq = len(taken) + 1
    while f"{prefix}{seq}号" in taken:
        seq += 1
    return f"{prefix}{seq}号"


def accepted_proposal(case: MediationCase) -> Proposal | None:
    """The latest proposal both parties accepted (the room's ``Proposal.Status.ACCEPTED``)."""
    return (
        Proposal.objects.filter(case=case, status=Proposal.Status.ACCEPTED)
        .order_by("-number")
        .first()
    )


def agreement_draft(
    *,
    by: User,
    case: MediationCase,
    proposal: Proposal | None = None,
    items: list[dict[str, Any]] | None = None,
) -> Agreement:
    """Draft (or, while nobody has signed, redraft) the agreement, and freeze its text.

    From the proposal both parties accepted, or from items the mediator types when the parties
    agreed in person. Preconditions: MEDIATING; ``by`` is a mediator or the head of the case's
    organisation; no signature yet (a signed agreement is never edited).
    """
    if proposal is not None:
        if proposal.case_id != case.pk or proposal.status != Proposal.Status.ACCEPTED:
            raise ValidationError(
                {"proposal": [_("Only a proposal both parties accepted becomes the agreement.")]}
            )
        clean = _agreed_items(proposal.items)
    else:
        clean = _agreed_items(items)
    holder: list[Agreement] = []

    def apply(locked: MediationCase) -> dict[str, Any]:
        existing = Agreement.objects.select_for_update().filter(case_id=locked.pk).first()
        if existing is not None and existing.signatures.exists():
            raise ValidationError(
                {"agreement": [_("The agreement has been signed: it can no longer be changed.")]}
            )
        now = timezone.now()
        number = (
            existing.number
            if existing is not None
            else _number(locked.organisation, timezone.localdate(now).year)
        )
        # A document of record: in the platform's language, whatever the drafter's page shows.
        with translation.override(settings.LANGUAGE_CODE):
            content = agreement_text.agreement_blocks(locked, number, clean)
        agreement = existing or Agreement(case=locked, number=number)
        agreement.proposal = proposal
        agreement.items = clean
        agreement.content = content
        agreement.content_sha256 = agreement_text.digest(content)
        agreement.drafted_by = by
        agreement.drafted_at = now
        agreement.save()
        holder.append(agreement)
        return {
            "agreement": agreement.pk,
            "number": number,
            "proposal": proposal.pk if proposal else None,
            "content_sha256": agreement.content_sha256,
            "redraft": existing is not None,
        }

    transition(case, "draft_agreement", by=by, apply=apply)
    return holder[0]


def signer_side(user: User, case: MediationCase) -> tuple[str, Any]:
    """(side, party) ``user`` signs for: a party's account signs for its party (the employer's
    authorised staff for the employer), the case's mediator as mediator. Refused otherwise."""
    if user.is_public:
        party = party_for(user, case)
        return party.role, party
    mediator = case.mediator
    if mediator is not None and mediator.user_id is not None and mediator.user_id == user.pk:
        return "mediator", None
    raise PermissionDenied(_("Only the parties and the case's mediator sign the agreement."))


def agreement_sign(
    *,
    by: User,
    case: MediationCase,
    confirm_read: bool = True,
    ip: str | None = None,
    content_sha256: str | None = None,
) -> AgreementSignature:
    """Sign the agreement electronically: the signature records the digest of the text signed.
    Each party and the mediator sign once. Preconditions: MEDIATING; an agreement drafted.

    ``content_sha256``: the digest of the text the signer read (the page sends it); a redraft
    in between refuses the signature, so nobody signs a text they did not see.
    """
    if not confirm_read:
        raise ValidationError({"confirm_read": [_("Confirm that you have read the agreement.")]})
    holder: list[AgreementSignature] = []

    def apply(locked: MediationCase) -> dict[str, Any]:
        side, party = signer_side(by, locked)
        agreement = _locked_agreement(locked)
        if content_sha256 is not None and content_sha256 != agreement.content_sha256:
            raise ValidationError(
                {
                    "confirm_read": [
                        _("The agreement was redrafted since you opened it: read it again.")
                    ]
                }
            )
        signed = agreement.signatures.filter(party=party) if party else None
        if signed is None:
            signed = agreement.signatures.filter(side="mediator")
        if signed.exists():
            raise ValidationError({"agreement": [_("This signature is already on the agreement.")]})
        name = party.name if party else (locked.mediator.name if locked.mediator else str(by))
        if party is not None and party.kind == MediationParty.Kind.EMPLOYER:
            name = f"{party.name}（{by}）"
        signature = AgreementSignature.objects.create(
            agreement=agreement,
            side=side,
            party=party,
            user=by,
            name=name[:100],
            content_sha256=agreement.content_sha256,
            signed_at=timezone.now(),
            ip_address=ip or None,
        )
        holder.append(signature)
        return {
            "agreement": agreement.pk,
            "side": side,
            "party": party.pk if party else None,
            "content_sha256": agreement.content_sha256,
        }

    transition(case, "sign_agreement", by=by, apply=apply)
    return holder[0]


def agreement_record_paper_signature(
    *, by: User, case: MediationCase, party: MediationParty, scan: Any
) -> AgreementSignature:
    """Record that ``party`` signed (or sealed) the printed agreement at the organisation (LDMAL
    art. 14: 签名或者盖章) — for a walk-in party or a worker named as respondent who has no
    account to sign online. The organisation's staff record it with a scan of the signed page;
    the signature records the digest of the text printed. Preconditions: MEDIATING; an
    agreement drafted; ``by`` staff of the case's organisation; the party not yet signed."""
    from zhongcai.cases.serving import upload_problems

    if scan is None:
        raise ValidationError({"scan": [_("Upload the scan of the signed page.")]})
    problems = upload_problems(scan, "scan")
    if problems:
        raise ValidationError(problems)
    holder: list[AgreementSignature] = []

    def apply(locked: MediationCase) -> dict[str, Any]:
        if party.case_id != locked.pk:
            raise ValidationError({"party": [_("Choose a party of this case.")]})
        agreement = _locked_agreement(locked)
        if agreement.signatures.filter(party=party).exists():
            raise ValidationError({"party": [_("This signature is already on the agreement.")]})
        content = scan.read()
        scan.seek(0)
        signature = AgreementSignature(
            agreement=agreement,
            side=party.role,
            party=party,
            user=by,
            name=party.name[:100],
            content_sha256=agreement.content_sha256,
            signed_at=timezone.now(),
            on_paper=True,
            scan_sha256=hashlib.sha256(content).hexdigest(),
        )
        suffix = PurePath(scan.name or "").suffix.lower()[:10] or ".pdf"
        signature.scan.save(f"signed-{agreement.pk}-{party.pk}{suffix}", scan, save=False)
        signature.save()
        holder.append(signature)
        return {
            "agreement": agreement.pk,
            "side": party.role,
            "party": party.pk,
            "on_paper": True,
            "content_sha256": agreement.content_sha256,
            "scan_sha256": signature.scan_sha256,
        }

    transition(case, "sign_agreement", by=by, apply=apply)
    return holder[0]


def missing_signatures(agreement: Agreement) -> list[str]:
    """Who has yet to sign: party names and "mediator"."""
    signed = set(agreement.signatures.values_list("party_id", flat=True))
    missing = [p.name for p in agreement.case.parties.order_by("role", "pk") if p.pk not in signed]
    if not agreement.signatures.filter(side="mediator").exists():
        missing.append("mediator")
    return missing


@transaction.atomic
def agreement_seal(*, by: User, case: MediationCase) -> MediationCase:
    """Seal the agreement for the organisation once everyone signed: it takes effect now
    (LDMAL art. 14), the case moves to AGREED and the sealed PDF is kept, its SHA-256 in the
    event. Preconditions: MEDIATING; ``by`` is a mediator or the head of the organisation."""
    holder: list[Agreement] = []

    def seal(locked: MediationCase) -> dict[str, Any]:
        agreement = _locked_agreement(locked)
        if agreement.sealed_at is not None:
            raise ValidationError({"agreement": [_("The agreement is already sealed.")]})
        if missing_signatures(agreement):
            raise ValidationError(
                {"agreement": [_("Both parties and the mediator must sign before the seal.")]}
            )
        if agreement.signatures.exclude(content_sha256=agreement.content_sha256).exists():
            raise ValidationError({"agreement": [_("A signature does not match the text.")]})
        now = timezone.now()
        agreement.sealed_by = by
        agreement.sealed_at = now
        agreement.effective_at = now
        with translation.override(settings.LANGUAGE_CODE):
            pdf = agreement_text.agreement_pdf(agreement)
        agreement.pdf.save(f"agreement-{locked.pk}.pdf", ContentFile(pdf), save=False)
        agreement.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        agreement.save()
        holder.append(agreement)
        return {
            "agreement": agreement.pk,
            "number": agreement.number,
            "content_sha256": agreement.content_sha256,
            "pdf_sha256": agreement.pdf_sha256,
        }

    transition(case, "seal_agreement", by=by, apply=seal)

    def take_effect(locked: MediationCase) -> dict[str, Any]:
        agreement = holder[0]
        locked.agreed_items = agreement.items
        locked.concluded_at = agreement.effective_at
        return {"agreement": agreement.pk, "effective_at": agreement.effective_at.isoformat()}

    return transition(case, "agree", by=by, apply=take_effect)


def court_due(agreement: Agreement) -> Any:
    """The last day to ask a court to confirm (30 days from effect, rolled past rest days)."""
    return add_calendar_days(timezone.localdate(agreement.effective_at), COURT_DAYS).due


def agreement_request_court_confirmation(
    *,
    by: User,
    case: MediationCase,
    court: str,
    consent_applicant: bool = False,
    consent_respondent: bool = False,
) -> MediationCase:
    """Record that the parties asked ``court`` to confirm the agreement (人民调解法 art. 33;
    民诉法 art. 205: the parties apply *jointly*), within 30 days of effect; the court package is
    then downloadable. One party alone cannot take this path, which closes arbitral review.
    Preconditions: AGREED or REVIEW_REFUSED; ``by`` the organisation's staff, recording both
    parties' consent."""
    errors: dict[str, list[str]] = {}
    name = " ".join((court or "").split())
    if not name:
        errors["court"] = [_("Name the court.")]
    elif len(name) > MAX_COURT_NAME:
        errors["court"] = [_("Keep the court's name under 100 characters.")]
    if not (consent_applicant and consent_respondent):
        errors["consent"] = [_("Both parties apply to the court together: record both consents.")]
    if errors:
        raise ValidationError(errors)

    def apply(locked: MediationCase) -> dict[str, Any]:
        agreement = _locked_agreement(locked)
        if agreement.effective_at is None:
            raise TransitionError(_("The agreement has not taken effect."))
        if timezone.localdate() > court_due(agreement):
            raise ValidationError(
                {
                    "court": [
                        _("A court confirms only within 30 days of the agreement taking effect.")
                    ]
                }
            )
        locked.court = name
        locked.court_requested_at = timezone.now()
        return {
            "court": name,
            "due": court_due(agreement).isoformat(),
            "consent": {"applicant": True, "respondent": True},
        }

    return transition(case, "request_court_confirmation", by=by, apply=apply)


def agreement_report_breach(*, by: User, case: MediationCase, note: str) -> MediationCase:
    """A party reports that the other side did not perform (LDMAL art. 15): the case is
    BREACHED and the party may apply for arbitration. Staff may record a party's report."""
    text = _reason(note, key="note")
    if by.is_public:
        party_for(by, case)  # a party, not merely the account that applied for someone else

    def apply(locked: MediationCase) -> dict[str, Any]:
        locked.breached_at = timezone.now()
        locked.breach_note = text[:MAX_REASON]
        return {"note": locked.breach_note}

    return transition(case, "report_breach", by=by, apply=apply)
