"""Where other apps' steps tell people: registered from ``NotificationsConfig.ready``.

A document served electronically (the platform's inbox is the addressee's system) on a party
that has an account tells that account's user, in the inbox and by e-mail and SMS.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhongcai.cases.models import DocumentKind, ServiceMethod, ServiceRecord
from zhongcai.cases.serving import ON_SERVED, on_served

from .services import notify

DOCUMENT_SERVED = "document_served"


def document_link(record: ServiceRecord) -> str:
    # The party's own document page lands with "My cases" (issue 6 point 4); until then the
    # portal's home page.
    return "/"


def notify_document_served(record: ServiceRecord) -> dict[str, Any]:
    """Runs inside the serving transaction: the notification is written with the service record
    and its e-mail and SMS leave only after the commit. Adds nothing to the event."""
    user = record.party.user
    if record.method != ServiceMethod.ELECTRONIC or user is None:
        return {}
    document, case = record.document, record.case
    lines = [_("Case %(number)s") % {"number": case.case_number}] if case.case_number else []
    if record.deemed_served_on:
        lines.append(
            _("Deemed served on %(date)s.") % {"date": record.deemed_served_on.isoformat()}
        )
    notify(
        user,
        DOCUMENT_SERVED,
        _("You have received a document: %(title)s") % {"title": document.title},
        body="\n".join(lines),
        link=document_link(record),
        case=case,
        key=f"served:{record.pk}",
    )
    return {}


def register() -> None:
    for kind in DocumentKind:
        if notify_document_served not in ON_SERVED.get(kind, []):
            on_served(kind)(notify_document_served)
