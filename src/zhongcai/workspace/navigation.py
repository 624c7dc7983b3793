"""The workspace menu: which entries each role sees. Later capabilities add their entries here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongcai.accounts.models import STAFF_ROLES, Role
from zhongcai.orgs.models import Organisation


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[Role]
    # Only for staff of these kinds of organisation (a head of a mediation organisation and of
    # an arbitration institute share the role); None: any.
    org_types: frozenset[str] | None = None


MEDIATION_ORGS = frozenset({Organisation.Type.MEDIATION_ORGANISATION})
ARBITRATION_ORGS = frozenset(
    {Organisation.Type.COMMISSION, Organisation.Type.ARBITRATION_INSTITUTE}
)

ITEMS = (
    NavItem(_("Workbench"), "workspace:dashboard", STAFF_ROLES),
    NavItem(
        pgettext_lazy("menu", "Cases"),
        "cases:queue",
        frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD, Role.CLERK, Role.ARBITRATOR}),
    ),
    NavItem(
        _("New application"),
        "cases:case-create",
        frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD}),
    ),
    # Mediation (mediation): the organisation's cases, its mediators and guides; commissions
    # review agreements (办案规则 arts. 74–79).
    NavItem(
        _("Mediation cases"),
        "mediation:room-queue",
        frozenset({Role.MEDIATOR, Role.INSTITUTE_HEAD}),
        MEDIATION_ORGS,
    ),
    NavItem(
        _("Record a walk-in mediation"),
        "mediation:apply-walk-in",
        frozenset({Role.MEDIATOR, Role.INSTITUTE_HEAD}),
        MEDIATION_ORGS,
    ),
    NavItem(
        _("Mediators"),
        "mediation:pool-mediators",
        frozenset({Role.MEDIATOR, Role.INSTITUTE_HEAD}),
        MEDIATION_ORGS,
    ),
    NavItem(
        _("Mediation guides"),
        "mediation:pool-guides",
        frozenset({Role.MEDIATOR, Role.INSTITUTE_HEAD, Role.HRSS_ADMIN}),
        MEDIATION_ORGS | {Organisation.Type.HRSS_DEPARTMENT},
    ),
    NavItem(
        _("Reviews of mediation agreements"),
        "mediation:agreement-reviews",
        frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD, Role.ARBITRATOR, Role.CLERK}),
        ARBITRATION_ORGS,
    ),
    NavItem(
        pgettext_lazy("counter booking", "Appointments"),
        "appointments-staff:day",
        frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD, Role.CLERK}),
    ),
    NavItem(
        _("Employer registrations"),
        "employers-staff:queue",
        frozenset({Role.INTAKE_OFFICER, Role.INSTITUTE_HEAD, Role.HRSS_ADMIN, Role.SYSTEM_ADMIN}),
    ),
    NavItem(_("Organisations"), "workspace:organisation-list", STAFF_ROLES - {Role.COURT}),
    NavItem(_("Laws and regulations"), "knowledge:law-list", STAFF_ROLES),
    # Institutions and their people (orgs): administrators of HRSS departments.
    NavItem(
        _("Commissions and staff"),
        "institutions:commission-list",
        frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN}),
    ),
    NavItem(
        _("Quarterly verification"),
        "institutions:verification",
        frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN}),
    ),
    NavItem(
        _("Performance"),
        "institutions:performance",
        frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN}),
    ),
    # Monitoring (monitoring): live figures, the national monthly report, early warnings.
    NavItem(
        _("Dashboard"),
        "monitoring:dashboard",
        frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN, Role.INSTITUTE_HEAD}),
    ),
    NavItem(
        _("Monthly national report"),
        "monitoring:report",
        frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN, Role.INSTITUTE_HEAD}),
    ),
    NavItem(
        _("Early warnings"),
        "monitoring:warning-list",
        STAFF_ROLES - {Role.COURT},
    ),
    # Documents (documents): the province's template registry (read by every department, changed
    # by the province's) and how each commission appears on its documents.
    NavItem(
        _("Document templates"),
        "documents:template-list",
        frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN}),
    ),
    NavItem(
        _("Document settings"),
        "documents:settings",
        frozenset({Role.HRSS_ADMIN, Role.SYSTEM_ADMIN}),
    ),
)


def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        # An app's pages that are not (yet) in the URL configuration show no menu entry.
        return None


def items_for(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return []
    entries = []
    for item in ITEMS:
        if user.role not in item.roles:
            continue
        if item.org_types is not None and (
            user.organisation is None or user.organisation.type not in item.org_types
        ):
            continue
        url = _url(item.url_name)
        if url is not None:
            entries.append({"label": item.label, "url": url, "url_name": item.url_name})
    return entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the menu of the current user."""
    return {"workspace_nav": items_for(getattr(request, "user", None))}
