"""The intake queue and the counter form (recording and editing an application)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongcai.accounts.models import Role, User
from zhongcai.orgs.models import Organisation
from zhongcai.workspace.access import staff_required

from .. import selectors, services
from ..application import clean_application
from ..deadlines import period
from ..forms import division_choices
from ..models import Case, Channel, Party, Status
from ..workflow import TransitionError
from .counter_form import PARTY_SECTIONS, ROW_PREFIXES, ApplicationForms, initial_from_case

PAGE_SIZE = 30
NAMES_SHOWN = selectors.NAMES_SHOWN


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    cases: Callable[[User], QuerySet[Case]]


TABS = (
    Tab("received", gettext_lazy("Received"), selectors.intake_queue),
    Tab("mine", gettext_lazy("My cases"), selectors.my_cases),
    Tab("accepted", gettext_lazy("Being handled"), selectors.accepted_cases),
    Tab("closed", gettext_lazy("Closed"), selectors.closed_cases),
    Tab("archived", gettext_lazy("Archived"), selectors.archived_cases),
    Tab("decided", gettext_lazy("Not accepted or redirected"), selectors.decided_applications),
    Tab("drafts", gettext_lazy("Drafts"), selectors.counter_drafts),
)


@dataclass(frozen=True)
class Row:
    case: Case
    applicants: list[Party]
    respondents: list[Party]
    more_applicants: int
    days_left: int | None
    deadline_label: str | Promise

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None else 0

    @property
    def clock_stopped(self) -> bool:
        return self.case.status == Status.AWAITING_CORRECTION


def _row(case: Case, today: date) -> Row:
    # The selector prefetched the first few names of each side and counted the applicants.
    label: str | Promise = ""
    if case.next_deadline_code:
        try:
            label = period(case.next_deadline_code).label
        except KeyError:
            label = case.next_deadline_code
    return Row(
        case=case,
        applicants=case.first_applicants,
        respondents=case.first_respondents,
        more_applicants=max(0, case.applicant_count - NAMES_SHOWN),
        days_left=(case.next_deadline - today).days if case.next_deadline else None,
        deadline_label=label,
    )


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    # Arbitrators and clerks start from their own cases, intake officers from the new ones.
    default = "mine" if request.user.role in (Role.ARBITRATOR, Role.CLERK) else "received"  # type: ignore[union-attr]
    wanted = request.GET.get("tab") or default
    tab = next((t for t in TABS if t.key == wanted), TABS[0])
    page = Paginator(tab.cases(request.user), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    today = timezone.localdate()
    return render(
        request,
        "cases/queue.html",
        {
            "tabs": TABS,
            "tab": tab,
            "page": page,
            "rows": [_row(case, today) for case in page],
            "may_record": _own_commission(request.user) is not None,  # type: ignore[arg-type]
        },
    )


def _own_commission(user: User) -> Organisation | None:
    """The commission whose applications ``user`` records at the counter, if any."""
    institute = user.organisation
    if (
        user.role not in services.INTAKE_ROLES
        or institute is None
        or institute.type != Organisation.Type.ARBITRATION_INSTITUTE
        or institute.parent is None
        or institute.parent.type != Organisation.Type.COMMISSION
    ):
        return None
    return institute.parent


def _render_form(
    request: HttpRequest, forms: ApplicationForms, *, case: Case | None
) -> HttpResponse:
    return render(
        request,
        "cases/application_form.html",
        {
            "forms": forms,
            "case": case,
            "sections": forms.parties,
            "errors": forms.summary(),
        },
    )


def _with_added_row(request: HttpRequest) -> Any:
    """The posted data with one more row in the formset the officer asked to grow."""
    prefix = request.POST.get("add_row", "")
    data = request.POST.copy()
    if prefix not in ROW_PREFIXES:
        return data
    try:
        count = int(data.get(f"{prefix}-TOTAL_FORMS", "0"))
    except ValueError:
        return data
    data[f"{prefix}-TOTAL_FORMS"] = str(count + 1)
    # A new party row starts with its role's usual kind, as an empty form would.
    section = next((s for s in PARTY_SECTIONS if s.prefix == prefix), None)
    if section is not None:
        data[f"{prefix}-{count}-kind"] = section.form.default_kind
    return data


def _handle_post(
    request: HttpRequest,
    *,
    case: Case | None,
    divisions: list[tuple[str, Any]],
    save: Callable[[dict[str, Any], str], Case],
) -> HttpResponse:
    if "add_row" in request.POST:
        forms = ApplicationForms(
            _with_added_row(request), divisions=divisions, with_channel=case is None
        )
        return _render_form(request, forms, case=case)
    forms = ApplicationForms(request.POST, divisions=divisions, with_channel=case is None)
    if forms.is_valid():
        data = forms.data()
        try:
            if forms.has_errors():
                # The page already found a problem: nothing is written, but the officer still
                # sees every other problem at once, from the same check the service runs.
                clean_application(data)
            else:
                saved = save(data, forms.case.cleaned_data.get("channel") or Channel.COUNTER)
                return redirect("cases:case-detail", saved.pk)
        except ValidationError as exc:
            forms.add_errors(exc)
    return _render_form(request, forms, case=case)


@staff_required
def case_create(request: HttpRequest) -> HttpResponse:
    commission = _own_commission(request.user)  # type: ignore[arg-type]
    if commission is None:
        raise PermissionDenied(_("Only the commission's intake officers record applications."))
    divisions = division_choices(commission.division_id)

    def save(data: dict[str, Any], channel: str) -> Case:
        case = services.case_create(
            by=request.user,  # type: ignore[arg-type]
            commission=commission,
            channel=Channel(channel),
            data=data,
        )
        messages.success(
            request, _("The application was recorded as a draft. Check it, then submit it.")
        )
        return case

    if request.method == "POST":
        return _handle_post(request, case=None, divisions=divisions, save=save)
    forms = ApplicationForms(divisions=divisions, with_channel=True)
    return _render_form(request, forms, case=None)


@staff_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, pk)  # type: ignore[arg-type]
    if not services.may_edit_application(request.user, case):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not change this application."))
    if case.status not in services.EDITABLE:
        messages.error(request, _("A received application is changed only through corrections."))
        return redirect("cases:case-detail", case.pk)
    divisions = division_choices(case.commission.division_id)

    def save(data: dict[str, Any], channel: str) -> Case:
        try:
            saved = services.case_update_application(
                by=request.user,  # type: ignore[arg-type]
                case=case,
                data=data,
            )
        except TransitionError as exc:
            # Received by someone else since the page was opened.
            messages.error(request, str(exc))
            return case
        messages.success(request, _("The application was saved."))
        return saved

    if request.method == "POST":
        return _handle_post(request, case=case, divisions=divisions, save=save)
    forms = ApplicationForms(
        divisions=divisions, with_channel=False, initial=initial_from_case(case)
    )
    return _render_form(request, forms, case=case)
