"""Service (送达): every document served is a record with its deemed service date.

The deemed service date follows the method (spec §10; §11.2 rows 34–36):

* electronic — the day it reaches the addressee's system, with the party's prior consent and a
  confirmed address (民诉法 art. 90; 在线诉讼规则 arts. 29–32);
* SMS or telephone — only in simplified cases and never for a 调解书 or 裁决书; such a service
  grounds no default unless the party confirms it (办案规则 art. 59);
* post or in person — the day of the signed receipt (送达回证), or of a recorded refusal;
* posting at the premises with a photo — 3 days after posting, only when the addressee refused or
  an enterprise that ceased business has 10 or more workers in the case (办案规则 art. 20);
* public notice — 30 days after the notice (民诉法 art. 95), a period not counted in the 45 days
  (办案规则 art. 46).

Periods "from receipt" then run per party from that date: stages register what follows the
service of a kind of document in ``ON_SERVED`` (the defence period after the application copy,
the suit windows after the award, the closing after both signatures of a 调解书).

What must be served on whom is the catalogue's word (``documents.catalogue``, ``served``),
read in ``serving_due``: ``documents_to_serve`` lists the documents issued and not yet served
on each addressee. A party that consented to electronic service at a confirmed address is served
at once when a step issues such a document (``serve_on_issue``, run by ``workflow.transition``
after the step), unless the setting ``CASES_AUTO_ELECTRONIC_SERVICE`` is off; the others wait
for the clerk, by post or in person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User
from zhongcai.core.identifiers import validate_mobile
from zhongcai.core.uploads import content_problems
from zhongcai.documents.catalogue import template

from .deadlines import (
    award_clock,
    close_deadlines,
    exclude_from_award_clock,
    open_deadline,
    period,
)
from .documents import document_issue, sha256_of
from .models import (
    SIMPLE_METHODS,
    Case,
    CaseDeadline,
    CaseDocument,
    Defence,
    DocumentKind,
    Party,
    ServiceAddress,
    ServiceMethod,
    ServiceRecord,
)
from .numbering import profile_of
from .representation import acts_for, ensure_acts_for, has_special_authority
from .workflow import ACTION_LABELS, TRANSITIONS, TransitionError, ensure_may_act, transition

M = ServiceMethod
# 办案规则 art. 59: these are never served by simple means.
NEVER_SIMPLE = frozenset({DocumentKind.AWARD, DocumentKind.MEDIATION_DOCUMENT})

# What follows once a document of this kind is deemed served on a party. Each hook runs inside
# the serving transaction, with the case locked, and returns more payload for the event. A hook
# that must take a further step (close the case by mediation) may not call ``transition`` inside
# the running step: it returns {THEN: [callable]} and the step's caller runs them afterwards,
# still inside the transaction (``run_then``).
OnServed = Callable[[ServiceRecord], dict[str, Any]]
THEN = "_then"
ON_SERVED: dict[str, list[OnServed]] = {}


def on_served(kind: DocumentKind) -> Callable[[OnServed], OnServed]:
    def register(hook: OnServed) -> OnServed:
        ON_SERVED.setdefault(kind, []).append(hook)
        return hook

    return register


def run_then(payload: dict[str, Any]) -> None:
    """Run the follow-up steps hooks asked for; pops them so the event payload stays JSON."""
    for follow_up in payload.pop(THEN, []):
        follow_up()


def _collect_then(target: dict[str, Any], source: dict[str, Any]) -> None:
    target.setdefault(THEN, []).extend(source.pop(THEN, []))


# --- What the steps of this stage and the next share ------------------------------------------


def ensure_step(by: User, case: Case, action: str) -> None:
    """Who may act (403) and whether the case's state allows it (409), asked before the input is
    judged: a stranger learns nothing from our validation, and a step that cannot be taken now
    is not answered with a list of input errors. ``transition`` asks again under the lock."""
    ensure_may_act(by, case, action)
    rule = TRANSITIONS[action]
    if case.status not in rule.sources:
        raise TransitionError(
            _("The case is “%(status)s”: “%(action)s” is not possible in that state.")
            % {"status": case.get_status_display(), "action": ACTION_LABELS[action]}
        )
    refusal = rule.refusal(case)
    if refusal:
        raise TransitionError(refusal)


def max_upload_bytes() -> int:
    return int(getattr(settings, "CASES_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def upload_problems(file: UploadedFile | None, field: str) -> dict[str, list[str]]:
    """An empty or too large upload, said plainly; nothing when the file is fine."""
    if file is None:
        return {}
    if not file.size:
        return {field: [_("The file “%(name)s” is empty.") % {"name": file.name}]}
    if file.size > max_upload_bytes():
        return {
            field: [
                _("The file “%(name)s” is larger than %(max)d MB.")
                % {"name": file.name, "max": max_upload_bytes() // (1024 * 1024)}
            ]
        }
    return content_problems(file, field)


def in_case(case: Case, party: Party | None) -> bool:
    return party is not None and party.case_id == case.pk


def close_party_deadlines(
    case: Case, codes: list[str], party: Party | int, *, state: CaseDeadline.State
) -> list[str]:
    """``deadlines.close_deadlines`` for the clocks that run for one party only."""
    now = timezone.now()
    today = timezone.localdate(now)
    late = []
    party_id = party if isinstance(party, int) else party.pk
    running = [CaseDeadline.State.OPEN, CaseDeadline.State.PAUSED]
    for deadline in case.deadlines.filter(code__in=codes, party_id=party_id, state__in=running):
        deadline.state = state
        deadline.closed_at = now
        deadline.met_late = state == CaseDeadline.State.MET and today > deadline.due_on
        if deadline.met_late:
            late.append(deadline.code)
        deadline.save(update_fields=["state", "closed_at", "met_late"])
    return late


def party_clock(case: Case, code: str, party: Party) -> CaseDeadline | None:
    """The party's latest clock of ``code`` that was not called off (running or met)."""
    return (
        case.deadlines.filter(code=code, party=party)
        .exclude(state=CaseDeadline.State.CANCELLED)
        .order_by("-started_on", "-pk")
        .first()
    )


def current_address(party: Party) -> ServiceAddress | None:
    return party.service_addresses.filter(superseded_at__isnull=True).first()


# --- 送达地址确认书 ------------------------------------------------------------------------------


@transaction.atomic
def service_address_confirm(
    *,
    by: User,
    case: Case,
    party: Party,
    electronic_consent: bool,
    mobile: str = "",
    email: str = "",
    postal_address: str = "",
) -> ServiceAddress:
    """送达地址确认书: where the party accepts service, and whether it consents to e-service.

    Electronic service needs this consent beforehand (民诉法 art. 90; 在线诉讼规则 art. 29). A new
    confirmation supersedes the party's earlier one; the form itself goes to the main volume.
    """
    ensure_step(by, case, "confirm_service_address")
    if by.is_public:
        ensure_acts_for(by, party)
    errors: dict[str, list[str]] = {}
    mobile, email, postal = mobile.strip(), email.strip(), postal_address.strip()
    if not in_case(case, party):
        errors["party"] = [_("This party is not in this case.")]
    if mobile:
        try:
            mobile = validate_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if electronic_consent and not (mobile or email):
        errors.setdefault("mobile", []).append(
            _("Electronic service needs a mobile number or an e-mail address.")
        )
    if not (mobile or email or postal):
        errors.setdefault("postal_address", []).append(_("Give at least one address."))
    if errors:
        raise ValidationError(errors)
    holder: dict[str, ServiceAddress] = {}

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        party.service_addresses.filter(superseded_at__isnull=True).update(superseded_at=now)
        holder["address"] = ServiceAddress.objects.create(
            party=party,
            electronic_consent=electronic_consent,
            mobile=mobile,
            email=email,
            postal_address=postal,
            confirmed_at=now,
            confirmed_by=by,
        )
        lines = [
            _("Consents to electronic service: %(answer)s")
            % {"answer": _("yes") if electronic_consent else _("no")},
            *(f"{label}: {value}" for label, value in _address_lines(mobile, email, postal)),
        ]
        document = document_issue(
            case=locked,
            kind=DocumentKind.SERVICE_ADDRESS,
            title=_("Service address confirmation of %(party)s") % {"party": party.name},
            by=by,
            body="\n".join(lines),
            data={"party": party.pk, "electronic_consent": electronic_consent},
        )
        return {
            "party": party.pk,
            "electronic_consent": electronic_consent,
            "document": document.pk,
        }

    transition(case, "confirm_service_address", by=by, apply=apply)
    return holder["address"]


def _address_lines(mobile: str, email: str, postal: str) -> list[tuple[str, str]]:
    pairs = [(_("Mobile"), mobile), (_("E-mail"), email), (_("Postal address"), postal)]
    return [(label, value) for label, value in pairs if value]


# --- Serving ---------------------------------------------------------------------------------


def _refusal_of_method(
    case: Case,
    document: CaseDocument,
    party: Party,
    method: str,
    *,
    photo: UploadedFile | None,
    note: str,
    refused: bool,
) -> dict[str, list[str]]:
    if method not in M.values:
        return {"method": [_("Choose a service method.")]}
    if method == M.ELECTRONIC:
        address = current_address(party)
        if address is None or not address.electronic_consent:
            return {
                "method": [
                    _(
                        "%(party)s has not consented to electronic service with a confirmed "
                        "address: record the service address confirmation first."
                    )
                    % {"party": party.name}
                ]
            }
    if method in SIMPLE_METHODS:
        if document.kind in NEVER_SIMPLE:
            return {
                "method": [
                    _("An award or a mediation document is never served by SMS or telephone.")
                ]
            }
        if not case.simplified:
            return {
                "method": [_("SMS and telephone service are allowed only in simplified handling.")]
            }
    if refused and method not in (M.POST, M.IN_PERSON):
        return {"refused": [_("A refusal is recorded only for service by post or in person.")]}
    if method == M.POSTING:
        if photo is None:
            return {"photo": [_("Posting needs a photo or video of the posted document.")]}
        if not note:
            return {
                "note": [
                    _(
                        "Say why the document is posted: the addressee refused, or the "
                        "enterprise ceased business with 10 or more workers in the case."
                    )
                ]
            }
    if method == M.PUBLIC_NOTICE and not note:
        # 民诉法 art. 95: only when the addressee's whereabouts are unknown or no other way works.
        return {
            "note": [
                _(
                    "Say why service is by public notice: the whereabouts are unknown, or no "
                    "other method could reach the addressee."
                )
            ]
        }
    return upload_problems(photo, "photo")


def deemed_service_date(record: ServiceRecord) -> date | None:
    """The date from which periods "from receipt" run for this party (module docstring)."""
    sent = timezone.localdate(record.sent_at)
    if record.method == M.ELECTRONIC:
        return timezone.localdate(record.delivered_at) if record.delivered_at else None
    if record.method in SIMPLE_METHODS:
        return sent
    if record.method in (M.POST, M.IN_PERSON):
        if record.signed_at:
            return timezone.localdate(record.signed_at)
        if record.refused:
            # A refused letter is served the day it came back refused (the day it is recorded).
            return timezone.localdate(record.delivered_at) if record.delivered_at else sent
        return None
    if record.method == M.POSTING:
        return period("posting_service").due(sent).due
    return period("public_notice_service").due(sent).due


def _address_for(party: Party, method: str) -> str:
    address = current_address(party)
    if method == M.ELECTRONIC and address:
        return address.mobile or address.email
    if method in SIMPLE_METHODS:
        return (address.mobile if address else "") or party.phone
    if method == M.POST:
        return (address.postal_address if address else "") or party.mailing_address
    if method == M.POSTING:
        return party.domicile
    return ""


def _after_service(record: ServiceRecord) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for hook in ON_SERVED.get(record.document.kind, []):
        result = hook(record)
        _collect_then(extra, result)
        extra |= result
    return extra


def _exclude_public_notice(case: Case, first: date, last: date) -> bool:
    """办案规则 art. 46: the public-notice period is not counted in the 45 days — once, however
    many parties are served by notices running at the same time."""
    clock = award_clock(case)
    if clock is None:
        return False
    covered = first
    for adjustment in sorted(clock.adjustments, key=lambda a: a.get("from", "")):
        if adjustment.get("kind") != "public_notice":
            continue
        start, end = date.fromisoformat(adjustment["from"]), date.fromisoformat(adjustment["to"])
        if start <= covered < end:
            covered = end
    if covered >= last:
        return False
    exclude_from_award_clock(case, first=covered, last=last)
    return True


def _issue_public_notice(case: Case, record: ServiceRecord, by: User) -> CaseDocument:
    """公告: what is served on whom by notice, and when it counts as served — 30 days after
    publication (民诉法 art. 95; 办案规则 art. 20 by reference)."""
    document, party = record.document, record.party
    data: dict[str, Any] = {
        "service": record.pk,
        "document": document.pk,
        "document_number": document.number or case.case_number,
        "served_titles": [document.title],
        "party": party.pk,
        "party_name": party.name,
        "reason": record.note,
        "days": period("public_notice_service").days,
        "pickup_address": profile_of(case.commission).address,
        "published_on": timezone.localdate(record.sent_at).isoformat(),
        "deemed_served_on": (
            record.deemed_served_on.isoformat() if record.deemed_served_on else None
        ),
    }
    # What the served document sets in motion, said in the notice (民诉法 art. 95).
    if document.kind == DocumentKind.RESPONSE_NOTICE:
        data["defence_days"] = document.data.get("defence_days")
    if document.kind == DocumentKind.HEARING_NOTICE and document.data.get("starts_at"):
        starts = timezone.localtime(datetime.fromisoformat(document.data["starts_at"]))
        data["hearing_text"] = (
            f"{starts.year}年{starts.month}月{starts.day}日{starts:%H}时{starts:%M}分"
        )
        data["place"] = document.data.get("place", "")
    return document_issue(
        case=case,
        kind=DocumentKind.PUBLIC_NOTICE,
        title=f"{template('public_notice').title}（{party.name}）",
        by=by,
        body=record.note,
        data=data,
    )


def serve_record(
    *,
    case: Case,
    document: CaseDocument,
    party: Party,
    method: str,
    by: User,
    photo: UploadedFile | None = None,
    note: str = "",
    signed_by_name: str = "",
    refused: bool = False,
) -> tuple[ServiceRecord, dict[str, Any]]:
    """Serve inside the caller's transaction and step (the case is locked); no event of its own.

    In person, the receipt is signed on the spot (``signed_by_name``) or refused; without either
    the 送达回证 is out and the deemed date waits for ``service_record_delivery``, as by post.

    Returns the record and payload for the caller's event. Raises ``ValidationError``. The
    payload may carry follow-up steps under ``THEN``: the caller moves them out of the event's
    payload in its ``apply`` and runs them with ``run_then`` after its ``transition``.
    """
    if party.case_id != case.pk or document.case_id != case.pk:
        raise ValidationError({"party": [_("This party is not in this case.")]})
    note, signed_by_name = note.strip(), signed_by_name.strip()[:50]
    problems = _refusal_of_method(
        case, document, party, method, photo=photo, note=note, refused=refused
    )
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    signed = method == M.IN_PERSON and bool(signed_by_name) and not refused
    record = ServiceRecord(
        case=case,
        document=document,
        party=party,
        method=method,
        address=_address_for(party, method),
        sent_at=now,
        # The platform's own inbox is the addressee's system: it arrives when sent. A refusal
        # on the spot reached the addressee too.
        delivered_at=now if method == M.ELECTRONIC or refused else None,
        signed_at=now if signed else None,
        signed_by_name=signed_by_name if signed else "",
        refused=refused,
        recorded_by=by,
        note=note,
    )
    if photo is not None:
        record.photo = photo
        record.note = f"{note}\nSHA-256 {sha256_of(photo)}".strip()
    record.deemed_served_on = deemed_service_date(record)
    record.save()
    payload: dict[str, Any] = {
        "service": record.pk,
        "document": document.pk,
        "party": party.pk,
        "method": method,
        "deemed_served_on": (
            record.deemed_served_on.isoformat() if record.deemed_served_on else None
        ),
    }
    if method == M.PUBLIC_NOTICE:
        payload["public_notice"] = _issue_public_notice(case, record, by).pk
    if (
        method == M.PUBLIC_NOTICE
        and record.deemed_served_on
        and _exclude_public_notice(case, timezone.localdate(now), record.deemed_served_on)
    ):
        payload["excluded_from_award_clock"] = True
    if record.deemed_served_on:
        payload |= _after_service(record)
    return record, payload


@transaction.atomic
def serve(
    *,
    by: User,
    case: Case,
    document: CaseDocument,
    parties: list[Party],
    method: str,
    photo: UploadedFile | None = None,
    note: str = "",
    signed_by_name: str = "",
    refused: bool = False,
) -> list[ServiceRecord]:
    """Serve one issued document on each of ``parties`` by one method (one event)."""
    ensure_step(by, case, "serve")
    if document.case_id != case.pk:
        raise ValidationError({"document": [_("This document is not in this case.")]})
    if not parties:
        raise ValidationError({"parties": [_("Choose at least one party to serve.")]})
    if any(not in_case(case, party) for party in parties):
        raise ValidationError({"parties": [_("This party is not in this case.")]})
    records: list[ServiceRecord] = []
    then: dict[str, Any] = {}

    def apply(locked: Case) -> dict[str, Any]:
        entries = []
        for party in parties:
            record, payload = serve_record(
                case=locked,
                document=document,
                party=party,
                method=method,
                by=by,
                photo=photo,
                note=note,
                signed_by_name=signed_by_name,
                refused=refused,
            )
            records.append(record)
            _collect_then(then, payload)
            entries.append(payload)
        return {"document": document.pk, "kind": document.kind, "services": entries}

    transition(case, "serve", by=by, apply=apply)
    run_then(then)
    return records


def _ensure_evidence_period(case: Case) -> CaseDeadline:
    """The evidence notice states the evidence period: the tribunal's if set, else the default
    (办案规则 art. 15), which the tribunal may replace."""
    running = (
        case.deadlines.filter(code="evidence_period")
        .exclude(state=CaseDeadline.State.CANCELLED)
        .order_by("-pk")
        .first()
    )
    return running or open_deadline(case, "evidence_period", timezone.localdate())


@transaction.atomic
def serve_application_copy(
    *,
    by: User,
    case: Case,
    method: str,
    parties: Iterable[Party] | None = None,
    photo: UploadedFile | None = None,
    note: str = "",
    signed_on_the_spot: bool = False,
) -> list[ServiceRecord]:
    """ACCEPTED / PANEL_FORMED → DEFENCE_PERIOD: the 应诉通知书 with the application copy on each
    respondent, the 举证通知书 on each party (LDMAL art. 30; 办案规则 art. 33; spec §5.1).

    Due within 5 working days of acceptance: done later it is still done, flagged late. Each
    respondent's 10-day defence period runs from its own deemed service date (the
    ``RESPONSE_NOTICE`` hook below): today when served electronically, the day of the signed
    receipt by post. Served again later (a respondent added, a letter returned), only ``parties``
    are served and the case stays where it is. ``signed_on_the_spot``: in person, each addressee
    signed the 送达回证 at once.
    """
    ensure_step(by, case, "serve_application_copy")
    chosen = list(case.parties.all()) if parties is None else list(parties)
    if any(not in_case(case, party) for party in chosen):
        raise ValidationError({"parties": [_("This party is not in this case.")]})
    respondents = [p for p in chosen if p.role == Party.Role.RESPONDENT]
    if not respondents:
        raise ValidationError(
            {"parties": [_("The application copy is served on at least one respondent.")]}
        )
    records: list[ServiceRecord] = []
    then: dict[str, Any] = {}

    def apply(locked: Case) -> dict[str, Any]:
        late = close_deadlines(locked, ["serve_application_copy"], state=CaseDeadline.State.MET)
        evidence_clock = _ensure_evidence_period(locked)
        defence = period("defence")
        response = document_issue(
            case=locked,
            kind=DocumentKind.RESPONSE_NOTICE,
            title=_("Notice to respond"),
            by=by,
            body=_(
                "The application for arbitration is served with this notice. The respondent may "
                "file a defence within %(days)d working days of receiving it; no defence does "
                "not stop the proceedings (LDMAL art. 30). A counter-application is filed within "
                "the same period (办案规则 art. 36)."
            )
            % {"days": defence.days},
            data={"defence_days": defence.days},
        )
        evidence = document_issue(
            case=locked,
            kind=DocumentKind.EVIDENCE_NOTICE,
            title=_("Evidence notice"),
            by=by,
            body=_(
                "Each party proves what it claims; evidence held by the employer is produced by "
                "the employer (LDMAL art. 6). The evidence period ends on %(due)s; evidence "
                "given later may be excluded (办案规则 art. 15)."
            )
            % {"due": evidence_clock.due_on.isoformat()},
            data={"evidence_period_due": evidence_clock.due_on.isoformat()},
        )
        entries = []
        for document, addressees in ((response, respondents), (evidence, chosen)):
            for party in addressees:
                record, payload = serve_record(
                    case=locked,
                    document=document,
                    party=party,
                    method=method,
                    by=by,
                    photo=photo,
                    note=note,
                    signed_by_name=party.name if signed_on_the_spot else "",
                )
                records.append(record)
                _collect_then(then, payload)
                entries.append(payload)
        return {
            "documents": [response.pk, evidence.pk],
            "method": method,
            "services": entries,
            "evidence_period_due": evidence_clock.due_on.isoformat(),
            "late": bool(late),
        }

    transition(case, "serve_application_copy", by=by, apply=apply)
    run_then(then)
    return records


@transaction.atomic
def service_record_delivery(
    *,
    by: User,
    case: Case,
    record: ServiceRecord,
    signed_by_name: str = "",
    refused: bool = False,
    confirmed: bool = False,
) -> ServiceRecord:
    """A signed receipt came back (post, in person, or signed online), a refusal was noted, or
    the party confirmed a simple-means service. The deemed date is set once and never moves."""
    ensure_step(by, case, "record_delivery")
    signed_by_name = signed_by_name.strip()[:50]
    if record.case_id != case.pk:
        raise ValidationError({"record": [_("This service record is not in this case.")]})
    if by.is_public:
        # Refusals and confirmations of simple means are the office's to record.
        refusal = online_signing_refusal(by, record)
        if refusal or refused or confirmed:
            raise PermissionDenied(refusal or _("Only the commission records this."))
        signed_by_name = str(by)[:50]
    if not (signed_by_name or refused or confirmed):
        raise ValidationError(
            {"signed_by_name": [_("Give who signed, or record a refusal or a confirmation.")]}
        )
    if confirmed and record.method not in SIMPLE_METHODS:
        raise ValidationError(
            {"confirmed": [_("Only an SMS or telephone service is confirmed this way.")]}
        )
    if signed_by_name and record.method not in (M.POST, M.IN_PERSON, M.ELECTRONIC):
        raise ValidationError(
            {"signed_by_name": [_("This method has no signed receipt to record.")]}
        )
    if refused and record.method not in (M.POST, M.IN_PERSON):
        raise ValidationError(
            {"refused": [_("A refusal is recorded only for service by post or in person.")]}
        )

    then: dict[str, Any] = {}

    def apply(locked: Case) -> dict[str, Any]:
        fresh = ServiceRecord.objects.select_for_update().get(pk=record.pk)
        if fresh.signed_at or (fresh.refused and refused) or (fresh.confirmed and confirmed):
            raise ValidationError({"record": [_("This was already recorded.")]})
        was_served = fresh.deemed_served_on is not None
        now = timezone.now()
        if signed_by_name and not refused:
            fresh.signed_at, fresh.signed_by_name = now, signed_by_name
        if refused and not fresh.refused:
            fresh.refused = True
            fresh.delivered_at = fresh.delivered_at or now
        fresh.confirmed = fresh.confirmed or confirmed
        if not was_served:
            fresh.deemed_served_on = deemed_service_date(fresh)
        fresh.save()
        record.__dict__.update(fresh.__dict__)
        payload: dict[str, Any] = {
            "service": fresh.pk,
            "party": fresh.party_id,
            "signed": bool(fresh.signed_at),
            "refused": fresh.refused,
            "confirmed": fresh.confirmed,
            "deemed_served_on": (
                fresh.deemed_served_on.isoformat() if fresh.deemed_served_on else None
            ),
        }
        # Hooks run once: when the deemed date is first known, or when a signature matters
        # by itself (a 调解书 takes effect only on both parties' signed receipt, LDMAL 42).
        if (not was_served and fresh.deemed_served_on) or (
            fresh.signed_at and fresh.document.kind == DocumentKind.MEDIATION_DOCUMENT
        ):
            payload |= _after_service(fresh)
        _collect_then(then, payload)
        return payload

    transition(case, "record_delivery", by=by, apply=apply)
    run_then(then)
    return record


def online_signing_refusal(user: User, record: ServiceRecord) -> str | None:
    """Why ``user`` may not sign online for ``record`` ("I have received it"), or None.

    A party signs, in its own name, for what was served on it online. The signed receipt of a
    调解书 makes it binding (LDMAL art. 42): only the party itself or an agent with special
    authority gives it. A record already signed is answered by the service itself.
    """
    if not acts_for(user, record.party):
        return _("You do not act for this party in this case.")
    if record.method != M.ELECTRONIC:
        return _("Only a document served online is signed for online.")
    if record.document.kind == DocumentKind.MEDIATION_DOCUMENT and not has_special_authority(
        user, record.party
    ):
        return _("Only the party or an agent with special authority signs for a 调解书.")
    return None


def proven_notice(case: Case, party: Party, document: CaseDocument) -> bool:
    """Whether ``document`` was served on ``party`` in a way that can ground a default or a
    deemed withdrawal (办案规则 art. 59)."""
    return any(record.proven for record in document.services.filter(party=party, case=case))


# --- What follows a service (periods "from receipt", spec §11.1(8)) ---------------------------


@on_served(DocumentKind.RESPONSE_NOTICE)
def _open_defence_period(record: ServiceRecord) -> dict[str, Any]:
    """LDMAL art. 30: the respondent's 10 days run from its own receipt of the application copy.

    Only the first service counts (a copy served again does not give a new period), and not for
    a respondent who waived the period (办案规则 art. 58).
    """
    party = record.party
    if party.role != Party.Role.RESPONDENT or record.deemed_served_on is None:
        return {}
    served_before = (
        ServiceRecord.objects.filter(
            party=party,
            document__kind=DocumentKind.RESPONSE_NOTICE,
            deemed_served_on__isnull=False,
        )
        .exclude(pk=record.pk)
        .exists()
    )
    if served_before or Defence.objects.filter(party=party, waived=True).exists():
        return {}
    deadline = open_deadline(record.case, "defence", record.deemed_served_on, party=party)
    return {"defence_due": deadline.due_on.isoformat()}


def copy_addressees(case: Case) -> list[int]:
    """Who receives the defence copy: every applicant, or a collective case's elected
    representatives where there are some (办案规则 art. 63: their acts bind those represented)."""
    applicants = list(
        case.parties.filter(role=Party.Role.APPLICANT).values_list("pk", "is_representative")
    )
    representatives = [pk for pk, is_representative in applicants if is_representative]
    if case.collective and representatives:
        return representatives
    return [pk for pk, _is_representative in applicants]


@on_served(DocumentKind.DEFENCE_COPY)
def _defence_copy_served(record: ServiceRecord) -> dict[str, Any]:
    """LDMAL art. 30: the defence copy reaches the applicants within 5 days of the defence; the
    clock closes once it is deemed served on all of them."""
    if record.party.role != Party.Role.APPLICANT:
        return {}
    document = record.document
    served = set(
        document.services.filter(deemed_served_on__isnull=False).values_list("party_id", flat=True)
    )
    if not set(copy_addressees(record.case)) <= served:
        return {}
    respondent = document.data.get("party")
    if not isinstance(respondent, int):
        return {}
    late = close_party_deadlines(
        record.case, ["serve_defence_copy"], respondent, state=CaseDeadline.State.MET
    )
    return {"defence_copy_served": True, "defence_copy_late": bool(late)}
