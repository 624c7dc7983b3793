"""Public pages: choose a commission, book a counter time, see, change or cancel one's bookings."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongcai.orgs.models import Organisation

from . import selectors, services
from .forms import BookingForm
from .models import Booking


def public_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in with a public account; staff book nothing for themselves here (403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_public:  # type: ignore[union-attr]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _by_day(slots: Any) -> list[tuple[Any, list[Any]]]:
    return [
        (day, list(group))
        for day, group in groupby(slots, key=lambda s: timezone.localtime(s.starts_at).date())
    ]


def _add_errors(form: BookingForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def index(request: HttpRequest) -> HttpResponse:
    commissions = selectors.commissions_with_open_slots()
    commission = None
    days: list[tuple[Any, list[Any]]] = []
    chosen = request.GET.get("commission", "")
    if chosen:
        # Any active commission: one whose places are all taken shows "no open times", not 404.
        commission = get_object_or_404(
            Organisation,
            pk=chosen if chosen.isdigit() else 0,
            type=Organisation.Type.COMMISSION,
            is_active=True,
        )
        days = _by_day(selectors.open_slots(commission))
    return render(
        request,
        "appointments/index.html",
        {
            "commissions": commissions,
            "commission": commission,
            "address": selectors.address_of(commission) if commission else "",
            "days": days,
        },
    )


@public_required
def book(request: HttpRequest, slot_pk: int) -> HttpResponse:
    slot = selectors.get_open_slot(slot_pk)
    user = request.user
    initial = {"name": user.real_name, "mobile": user.mobile or ""}  # type: ignore[union-attr]
    form = BookingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_make(
                by=user,  # type: ignore[arg-type]
                slot=slot,
                name=form.cleaned_data["name"],
                mobile=form.cleaned_data["mobile"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("appointments:booking-detail", pk=booking.pk)
    return render(
        request,
        "appointments/book.html",
        {"slot": slot, "form": form, "address": selectors.address_of(slot.commission)},
    )


@public_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    bookings = selectors.bookings_of(request.user)  # type: ignore[arg-type]
    return render(request, "appointments/my_bookings.html", {"bookings": bookings})


@public_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking_for(request.user, pk)  # type: ignore[arg-type]
    return render(
        request,
        "appointments/booking_detail.html",
        {
            "booking": booking,
            "address": selectors.address_of(booking.slot.commission),
            "may_change": booking.state == Booking.State.BOOKED and not booking.slot.has_started,
        },
    )


@public_required
def booking_change(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking_for(request.user, pk)  # type: ignore[arg-type]
    error = ""
    if request.method == "POST":
        try:
            services.booking_change(
                by=request.user,  # type: ignore[arg-type]
                booking=booking,
                new_slot=selectors.get_open_slot(request.POST.get("slot")),
            )
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, _("Your booking was changed."))
            return redirect("appointments:booking-detail", pk=booking.pk)
    slots = selectors.open_slots(booking.slot.commission_id).exclude(pk=booking.slot_id)
    return render(
        request,
        "appointments/booking_change.html",
        {"booking": booking, "days": _by_day(slots), "error": error},
        status=400 if error else 200,
    )


@require_POST
@public_required
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking_for(request.user, pk)  # type: ignore[arg-type]
    try:
        services.booking_cancel(by=request.user, booking=booking)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your booking was cancelled."))
    return redirect("appointments:booking-detail", pk=booking.pk)
