"""Staff pages: publish counter times for one's own commission, see the bookings of a day."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhongcai.cases.tribunal import commission_of
from zhongcai.orgs.models import Organisation
from zhongcai.workspace.access import staff_required

from . import selectors, services
from .forms import DayForm, PublishForm


def _own_commission(request: HttpRequest) -> Organisation:
    commission = commission_of(request.user)  # type: ignore[arg-type]
    if commission is None or not services.may_publish(request.user, commission):  # type: ignore[arg-type]
        raise PermissionDenied
    return commission


@staff_required
def day(request: HttpRequest) -> HttpResponse:
    commission = _own_commission(request)
    form = DayForm(request.GET or {"day": timezone.localdate()})
    chosen = form.cleaned_data["day"] if form.is_valid() else timezone.localdate()
    return render(
        request,
        "appointments/staff_day.html",
        {
            "commission": commission,
            "form": form,
            "day": chosen,
            "slots": selectors.slots_on(commission, chosen),
            "bookings": selectors.bookings_on(commission, chosen),
        },
    )


@staff_required
def publish(request: HttpRequest) -> HttpResponse:
    commission = _own_commission(request)
    form = PublishForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.slots_publish(
                by=request.user,  # type: ignore[arg-type]
                commission=commission,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d counter time was published.",
                    "%(count)d counter times were published.",
                    len(created),
                )
                % {"count": len(created)},
            )
            if not created:
                messages.warning(
                    request, _("No new times: all were past, rest days or already published.")
                )
            return redirect("appointments-staff:day")
    return render(
        request, "appointments/staff_publish.html", {"commission": commission, "form": form}
    )
