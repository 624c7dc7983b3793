"""The shape of the service steps' input on the case page. Rules live in ``cases.serving``.

Choices of parties, documents and records come from the case itself: a number from another
case is "not a valid choice", never a way into it. The choices shown are read once per page
(``case_rows``) and shared by every form and list of the stage; what is posted is checked
against the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ..documents import SECONDARY_KINDS
from ..models import Case, CaseDocument, DocumentKind, Party, ServiceMethod, ServiceRecord

TEXTAREA = {"rows": 3}


class PartyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_role_display()})"


class PartiesChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_role_display()})"


class DocumentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.issued_at:%Y-%m-%d}"


class RecordChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.document.title} → {obj.party.name} · {obj.get_method_display()}"


# Documents that are never served: the party's own originals (its defence, its address form) and
# the internal records of the secondary volume (办案规则 art. 22).
NOT_SERVED = frozenset({DocumentKind.DEFENCE, DocumentKind.SERVICE_ADDRESS}) | SECONDARY_KINDS


def servable_documents(case: Case) -> QuerySet[CaseDocument]:
    return case.documents.exclude(kind__in=NOT_SERVED)


def parties_of(case: Case) -> QuerySet[Party]:
    return case.parties.order_by("role", "pk")


ROLE_ORDER = {role: i for i, role in enumerate(Party.Role.values)}


def case_rows(case: Case, key: str, load: Callable[[], list[Any]]) -> list[Any]:
    """Rows of the case read once per request, kept on the case object the page works on."""
    cache: dict[str, list[Any]] = case.__dict__.setdefault("_stage_rows", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def case_parties(case: Case) -> list[Party]:
    """The parties, from the page's prefetch when there is one, applicants first."""
    return case_rows(
        case,
        "parties",
        lambda: sorted(case.parties.all(), key=lambda p: (ROLE_ORDER.get(p.role, 9), p.pk)),
    )


def case_records(case: Case) -> list[ServiceRecord]:
    return case_rows(
        case,
        "records",
        lambda: list(
            ServiceRecord.objects.filter(case=case)
            .select_related("document", "party")
            .order_by("sent_at", "pk")
        ),
    )


def case_documents(case: Case) -> list[CaseDocument]:
    return case_rows(
        case,
        "documents",
        # The rendition in the same query: the page links each document's PDF and DOCX.
        lambda: list(
            servable_documents(case).select_related("rendition").order_by("issued_at", "pk")
        ),
    )


def offer(field: forms.Field, rows: Iterable[Any], queryset: QuerySet[Any]) -> None:
    """Validate against ``queryset``; show ``rows`` (already read) as the choices."""
    field.queryset = queryset  # type: ignore[attr-defined]
    choices = [(row.pk, field.label_from_instance(row)) for row in rows]  # type: ignore[attr-defined]
    empty = getattr(field, "empty_label", None)
    if not isinstance(field, forms.ModelMultipleChoiceField) and empty is not None:
        choices.insert(0, ("", empty))
    field.choices = choices  # type: ignore[attr-defined]


def _text(label: Any, *, area: bool = False, help_text: Any = "") -> forms.CharField:
    widget = forms.Textarea(attrs=TEXTAREA) if area else forms.TextInput()
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text)


class ServiceAddressForm(forms.Form):
    party = PartyChoice(label=_("Party"), queryset=Party.objects.none())
    electronic_consent = forms.BooleanField(
        label=_("The party consents to electronic service at this address"),
        required=False,
        help_text=_("Signed 送达地址确认书: consent is given beforehand, in writing."),
    )
    mobile = _text(_("Mobile"))
    email = _text(_("E-mail"))
    postal_address = _text(_("Postal address"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        offer(self.fields["party"], case_parties(case), parties_of(case))


def _method(help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Method"),
        choices=[("", "—"), *ServiceMethod.choices],
        help_text=help_text,
        error_messages={"required": _("Choose a service method.")},
    )


def _photo() -> forms.FileField:
    # Empty and too large files are refused by the service, with its own message.
    return forms.FileField(
        label=_("Photo or video of the posted document"),
        required=False,
        allow_empty_file=True,
        help_text=_("Needed for service by posting at the premises."),
    )


class ServeApplicationCopyForm(forms.Form):
    method = _method(
        _(
            "Electronic service needs each party's prior consent; by post, the defence period "
            "starts when the signed receipt is recorded."
        )
    )
    signed_on_the_spot = forms.BooleanField(
        label=_("In person: each addressee signed the service receipt on the spot"),
        required=False,
    )
    photo = _photo()
    note = _text(_("Note"), area=True)

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)


class ServeForm(forms.Form):
    document = DocumentChoice(label=_("Document"), queryset=CaseDocument.objects.none())
    parties = PartiesChoice(
        label=_("Serve on"),
        queryset=Party.objects.none(),
        error_messages={"required": _("Choose at least one party to serve.")},
    )
    method = _method()
    signed_by_name = _text(
        _("Signed by"), help_text=_("In person: who signed the service receipt on the spot.")
    )
    refused = forms.BooleanField(label=_("The addressee refused to sign"), required=False)
    photo = _photo()
    note = _text(_("Note"), area=True)

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        offer(self.fields["document"], reversed(case_documents(case)), servable_documents(case))
        offer(self.fields["parties"], case_parties(case), parties_of(case))


class DeliveryForm(forms.Form):
    record = RecordChoice(label=_("Service"), queryset=ServiceRecord.objects.none())
    signed_by_name = _text(_("Signed by"), help_text=_("Who signed the service receipt."))
    refused = forms.BooleanField(label=_("The addressee refused to sign"), required=False)
    confirmed = forms.BooleanField(
        label=_("The party confirmed receiving the SMS or call"), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        offer(
            self.fields["record"],
            [r for r in reversed(case_records(case)) if awaits_receipt(r)],
            ServiceRecord.objects.filter(case=case).select_related("document", "party"),
        )


def awaits_receipt(record: ServiceRecord) -> bool:
    """What may still be recorded: no signature yet, or an unconfirmed simple service."""
    if record.signed_at or record.method in (ServiceMethod.POSTING, ServiceMethod.PUBLIC_NOTICE):
        return False
    return not (record.method in (ServiceMethod.SMS, ServiceMethod.PHONE) and record.confirmed)
