"""The shape and validation of an application's content, shared by the pages and the API.

``clean_application`` takes plain data (what a form or a JSON body carries), checks every field,
and either returns clean values or raises one ``ValidationError`` listing every problem, keyed by
where it is (``parties.0.id_number``), so nothing is half-written and the user fixes all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhongcai.core.identifiers import (
    birth_date_from_id_number,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)
from zhongcai.orgs.models import Division

from .industries import sections
from .models import Agent, Party
from .taxonomy import Category, Cause, ClaimType, NotLaborDispute, PersonnelSubtype

MAX_PARTIES = 500  # a collective case of a whole factory, not an attack
MAX_CLAIMS = 50
MAX_AMOUNT = Decimal("999999999999.99")


@dataclass
class CleanApplication:
    case_fields: dict[str, Any]
    parties: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()[:limit]


def _flag(data: dict[str, Any], key: str, default: bool = False) -> bool:
    """A yes/no from JSON or a form: true/false, 1/0, "true"/"false", "on"/"off"."""
    value = data.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _choice(data, key, choices, errors, where, *, required=True, default=""):
    value = data.get(key) or default
    if not value and not required:
        return ""
    if value not in choices:
        errors.add(f"{where}{key}", _("Unknown value “%(value)s”.") % {"value": value})
        return default
    return value


def _division(code: Any, errors: _Errors, where: str) -> str | None:
    if not code:
        return None
    code = str(code).strip()
    if not Division.objects.filter(code=code).exists():
        errors.add(where, _("Unknown division code “%(code)s”.") % {"code": code})
        return None
    return code


def _date(value: Any, errors: _Errors, where: str) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(where, _("Enter a date as YYYY-MM-DD."))
        return None


def _party(data: dict[str, Any], errors: _Errors, where: str) -> dict[str, Any]:
    kind = _choice(data, "kind", Party.Kind.values, errors, where)
    party = {
        "role": _choice(data, "role", Party.Role.values, errors, where),
        "kind": kind,
        "name": _text(data, "name", 100),
        "occupation": _text(data, "occupation", 50),
        "domicile": _text(data, "domicile", 200),
        "domicile_division_id": _division(
            data.get("domicile_division"), errors, f"{where}domicile_division"
        ),
        "mailing_address": _text(data, "mailing_address", 200),
        "phone": _text(data, "phone", 20),
        "legal_representative": _text(data, "legal_representative", 50),
        "legal_representative_title": _text(data, "legal_representative_title", 50),
        "dispatch_role": _choice(
            data, "dispatch_role", Party.DispatchRole.values, errors, where, required=False
        ),
        "is_representative": _flag(data, "is_representative"),
        "sex": _choice(data, "sex", Party.Sex.values, errors, where, required=False),
        "birth_date": _date(data.get("birth_date"), errors, f"{where}birth_date"),
        "id_number": "",
        "credit_code": "",
    }
    if not party["name"]:
        errors.add(f"{where}name", _("The name is required."))
    if data.get("id_number"):
        try:
            party["id_number"] = validate_id_number(str(data["id_number"]))
        except ValidationError as exc:
            errors.add(f"{where}id_number", exc.messages[0])
    if party["id_number"]:
        # The ID number carries the birth date and, in its 17th digit, the sex (odd: male).
        party["birth_date"] = party["birth_date"] or birth_date_from_id_number(party["id_number"])
        party["sex"] = party["sex"] or (
            Party.Sex.MALE if int(party["id_number"][16]) % 2 else Party.Sex.FEMALE
        )
    if data.get("credit_code"):
        try:
            party["credit_code"] = validate_credit_code(str(data["credit_code"]))
        except ValidationError as exc:
            errors.add(f"{where}credit_code", exc.messages[0])
    _employer_class(data, party, errors, where)
    if party["phone"]:
        try:
            party["phone"] = validate_mobile(party["phone"])
        except ValidationError:
            # Landlines are fine too: digits, dashes, an extension.
            if not all(c.isdigit() or c in "-+ ()" for c in party["phone"]):
                errors.add(f"{where}phone", _("Enter a phone number of digits."))
    return party


def _employer_class(
    data: dict[str, Any], party: dict[str, Any], errors: _Errors, where: str
) -> None:
    """The employer's industry and registration type, for the statistics. Data that does not
    carry a key (the online application, a mediation) leaves what staff recorded untouched."""
    checks = (
        ("industry", sections(), _("Choose a section of GB/T 4754 from the list.")),
        (
            "registration_type",
            Party.RegistrationType.values,
            _("Choose a registration type from the list."),
        ),
    )
    for key, allowed, message in checks:
        if key not in data:
            continue
        value = str(data.get(key) or "").strip()
        if value and party["kind"] == Party.Kind.WORKER:
            errors.add(
                f"{where}{key}", _("Only an employer has an industry and a registration type.")
            )
            value = ""
        elif value and value not in allowed:
            errors.add(f"{where}{key}", message)
            value = ""
        party[key] = value


def _agent(data: dict[str, Any], errors: _Errors, where: str) -> dict[str, Any]:
    agent = {
        "name": _text(data, "name", 50),
        "kind": _choice(data, "kind", Agent.Kind.values, errors, where),
        "authority": _choice(data, "authority", Agent.Authority.values, errors, where),
        "phone": _text(data, "phone", 20),
        "firm": _text(data, "firm", 100),
        "power_of_attorney_received": _flag(data, "power_of_attorney_received"),
        "id_number": "",
    }
    if not agent["name"]:
        errors.add(f"{where}name", _("The name is required."))
    if data.get("id_number"):
        try:
            agent["id_number"] = validate_id_number(str(data["id_number"]))
        except ValidationError as exc:
            errors.add(f"{where}id_number", exc.messages[0])
    return agent


def _claim(data: dict[str, Any], errors: _Errors, where: str, number: int) -> dict[str, Any]:
    claim = {
        "number": number,
        "type": _choice(data, "type", ClaimType.values, errors, where),
        "description": _text(data, "description", 2000),
        "amount": None,
    }
    raw = data.get("amount")
    if raw not in (None, ""):
        try:
            amount = Decimal(str(raw).strip())
            if not amount.is_finite():  # "NaN", "Infinity"
                raise InvalidOperation
            amount = amount.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors.add(f"{where}amount", _("Enter the amount as a number of yuan."))
        else:
            if amount < 0 or amount > MAX_AMOUNT:
                errors.add(
                    f"{where}amount", _("The amount must be between 0 and 999,999,999,999.99.")
                )
            else:
                claim["amount"] = amount
    return claim


def clean_application(data: dict[str, Any]) -> CleanApplication:
    """Validate an application's content; raise one ``ValidationError`` with every problem."""
    errors = _Errors()
    if not isinstance(data, dict):
        raise ValidationError({"application": [_("The application must be an object.")]})
    causes = data.get("causes") or []
    if not isinstance(causes, list) or any(c not in Cause.values for c in causes):
        unknown = (
            [c for c in causes if c not in Cause.values] if isinstance(causes, list) else causes
        )
        errors.add("causes", _("Unknown cause code: %(codes)s.") % {"codes": unknown})
        causes = [c for c in causes if c in Cause.values] if isinstance(causes, list) else []
    flags = data.get("not_labor_flags") or []
    if not isinstance(flags, list) or any(f not in NotLaborDispute.values for f in flags):
        errors.add("not_labor_flags", _("Unknown scope finding."))
        flags = []
    category = _choice(data, "category", Category.values, errors, "", default=Category.LABOR)
    subtype = _choice(
        data, "personnel_subtype", PersonnelSubtype.values, errors, "", required=False
    )
    if category == Category.PERSONNEL and not subtype:
        errors.add("personnel_subtype", _("Choose the kind of personnel dispute."))
    case_fields = {
        "category": category,
        "personnel_subtype": subtype if category == Category.PERSONNEL else "",
        "causes": list(dict.fromkeys(causes)),
        "primary_cause": causes[0] if causes else "",
        "facts_and_reasons": _text(data, "facts_and_reasons", 20000),
        "evidence_summary": _text(data, "evidence_summary", 20000),
        "workplace_division_id": _division(
            data.get("workplace_division"), errors, "workplace_division"
        ),
        "not_labor_flags": list(dict.fromkeys(flags)),
        "collective": _flag(data, "collective"),
        "simplified": _flag(data, "simplified"),
        "public_hearing": _flag(data, "public_hearing", default=True),
    }
    clean = CleanApplication(case_fields)
    parties = data.get("parties") or []
    if not isinstance(parties, list) or len(parties) > MAX_PARTIES:
        errors.add("parties", _("Too many parties, or not a list."))
        parties = []
    for i, party_data in enumerate(parties):
        where = f"parties.{i}."
        if not isinstance(party_data, dict):
            errors.add(f"parties.{i}", _("Each party must be an object."))
            continue
        agents = party_data.get("agents") or []
        if not isinstance(agents, list):
            errors.add(f"{where}agents", _("Agents must be a list."))
            agents = []
        clean.parties.append(
            (
                _party(party_data, errors, where),
                [
                    _agent(a, errors, f"{where}agents.{j}.")
                    for j, a in enumerate(agents)
                    if isinstance(a, dict)
                ],
            )
        )
    claims = data.get("claims") or []
    if not isinstance(claims, list) or len(claims) > MAX_CLAIMS:
        errors.add("claims", _("Too many claims, or not a list."))
        claims = []
    for i, claim_data in enumerate(claims):
        if not isinstance(claim_data, dict):
            errors.add(f"claims.{i}", _("Each claim must be an object."))
            continue
        clean.claims.append(_claim(claim_data, errors, f"claims.{i}.", i + 1))
    if errors.errors:
        raise ValidationError(errors.errors)
    return clean
