"""Service (送达): service addresses, serving documents, receipts.

Stage pages follow ``steps``: each POST view fetches the case through the selectors, calls one
service, and goes back to the case page (or shows it again with the bound form and its errors).
"""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver

from ..models import Case

# URL name of each action's page endpoint (``cases:case-<action>``), for this stage.
ACTION_URLS: dict[str, str] = {}
# Labels of the events this stage writes, for the case history.
EVENT_LABELS: dict[str, Any] = {}

urlpatterns: list[URLPattern | URLResolver] = []


def panel(request: HttpRequest, case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """Context for ``cases/stages/_serving.html`` on the case page.

    ``bound`` maps an action name to a form bound to what was posted, when the page is shown
    again with errors; every other form is fresh.
    """
    return {}
