"""Who may enter the staff workspace."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and working for an organisation; public users get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff_member:  # type: ignore[union-attr]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def public_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in with a public account (the portal's pages of one's own cases). Staff follow
    cases in their workspace: they get 404 here, as for a case they cannot see."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_public:  # type: ignore[union-attr]
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
