"""What the institutions pages share: the form page and the permission answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from zhongcai.core.forms import add_service_errors

from ..models import Organisation
from ..permissions import may_maintain


def require_maintainer(request: HttpRequest, organisation: Organisation) -> None:
    """Seen (the caller fetched it through scope) but not this user's to maintain: 403."""
    if not may_maintain(request.user, organisation):  # type: ignore[arg-type]
        raise PermissionDenied


def form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    title: str | Promise,
    back: str,
    save: Callable[[dict[str, Any]], Any],
    done: str | Promise,
    success_url: str | Callable[[Any], str],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save`` (one service) and redirect with ``done``."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = save(form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, str(done))
                return redirect(success_url(result) if callable(success_url) else success_url)
        status = 400
    return render(
        request,
        "institutions/form.html",
        {"form": form, "title": title, "back": back, **(context or {})},
        status=status,
    )
