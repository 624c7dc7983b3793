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
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhongcai.accounts.models import User

from .deadlines import exclude_from_award_clock, period
from .documents import sha256_of
from .models import (
    SIMPLE_METHODS,
    Case,
    CaseDocument,
    DocumentKind,
    Party,
    ServiceAddress,
    ServiceMethod,
    ServiceRecord,
)
from .workflow import transition

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


def current_address(party: Party) -> ServiceAddress | None:
    return party.service_addresses.filter(superseded_at__isnull=True).first()


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
    """送达地址确认书: a new confirmation supersedes the party's earlier one."""
    if party.case_id != case.pk:
        raise ValidationError({"party": [_("This party is not in this case.")]})
    if electronic_consent and not (mobile or email):
        raise ValidationError(
            {"mobile": [_("Electronic service needs a mobile number or an e-mail address.")]}
        )
    if not (mobile or email or postal_address):
        raise ValidationError({"postal_address": [_("Give at least one address.")]})
    holder: dict[str, ServiceAddress] = {}

    def apply(locked: Case) -> dict[str, Any]:
        now = timezone.now()
        party.service_addresses.filter(superseded_at__isnull=True).update(superseded_at=now)
        holder["address"] = ServiceAddress.objects.create(
            party=party,
            electronic_consent=electronic_consent,
            mobile=mobile,
            email=email,
            postal_address=postal_address,
            confirmed_at=now,
            confirmed_by=by,
        )
        return {"party": party.pk, "electronic_consent": electronic_consent}

    transition(case, "confirm_service_address", by=by, apply=apply)
    return holder["address"]


def _refusal_of_method(
    case: Case,
    document: CaseDocument,
    party: Party,
    method: str,
    *,
    photo: UploadedFile | None,
    note: str,
    signed_by_name: str,
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
    if method == M.IN_PERSON and not (signed_by_name or refused):
        return {"signed_by_name": [_("Give who signed the receipt, or record the refusal.")]}
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
    return {}


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
        return sent if record.refused else None
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
    return ""


def _after_service(record: ServiceRecord) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for hook in ON_SERVED.get(record.document.kind, []):
        result = hook(record)
        _collect_then(extra, result)
        extra |= result
    return extra


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

    Returns the record and payload for the caller's event. Raises ``ValidationError``. The
    payload may carry follow-up steps under ``THEN``: the caller moves them out of the event's
    payload in its ``apply`` and runs them with ``run_then`` after its ``transition``.
    """
    if party.case_id != case.pk or document.case_id != case.pk:
        raise ValidationError({"party": [_("This party is not in this case.")]})
    problems = _refusal_of_method(
        case,
        document,
        party,
        method,
        photo=photo,
        note=note,
        signed_by_name=signed_by_name,
        refused=refused,
    )
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    record = ServiceRecord(
        case=case,
        document=document,
        party=party,
        method=method,
        address=_address_for(party, method),
        sent_at=now,
        # The platform's own inbox is the addressee's system: it arrives when sent.
        delivered_at=now if method == M.ELECTRONIC else None,
        signed_at=now if method == M.IN_PERSON and signed_by_name and not refused else None,
        signed_by_name=signed_by_name,
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
        "party": party.pk,
        "method": method,
        "deemed_served_on": (
            record.deemed_served_on.isoformat() if record.deemed_served_on else None
        ),
    }
    if method == M.PUBLIC_NOTICE and record.deemed_served_on:
        # 办案规则 art. 46: the public-notice period is not counted in the 45 days.
        exclude_from_award_clock(case, first=timezone.localdate(now), last=record.deemed_served_on)
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
    """Serve one document on each of ``parties`` by one method (one event)."""
    if not parties:
        raise ValidationError({"parties": [_("Choose at least one party to serve.")]})
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
    """A signed receipt came back (post), a refusal was noted, or the party confirmed a simple
    service. The deemed date is set once and never moves afterwards."""
    if record.case_id != case.pk:
        raise ValidationError({"record": [_("This service record is not in this case.")]})
    if not (signed_by_name or refused or confirmed):
        raise ValidationError(
            {"signed_by_name": [_("Give who signed, or record a refusal or a confirmation.")]}
        )
    if confirmed and record.method not in SIMPLE_METHODS:
        raise ValidationError(
            {"confirmed": [_("Only an SMS or telephone service is confirmed this way.")]}
        )
    if (signed_by_name or refused) and record.method not in (M.POST, M.IN_PERSON, M.ELECTRONIC):
        raise ValidationError(
            {"signed_by_name": [_("This method has no signed receipt to record.")]}
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
        fresh.refused = fresh.refused or refused
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


def proven_notice(case: Case, party: Party, document: CaseDocument) -> bool:
    """Whether ``document`` was served on ``party`` in a way that can ground a default or a
    deemed withdrawal (办案规则 art. 59)."""
    return any(record.proven for record in document.services.filter(party=party, case=case))
