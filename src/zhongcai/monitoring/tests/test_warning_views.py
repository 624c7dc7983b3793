"""The early-warning pages: who sees which warnings, the filters, one warning's reason, cases and
history, and the actions on it through POST."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhongcai.accounts.models import Role, User
from zhongcai.cases.tests import factories
from zhongcai.core.events import events_of
from zhongcai.monitoring import views_warnings, warnings
from zhongcai.monitoring.models import EarlyWarning

D = date(2026, 3, 2)  # a Monday; the 5-working-day clocks opened on D fall due on D+7
K, S = EarlyWarning.Kind, EarlyWarning.Severity

pytestmark = pytest.mark.django_db


@pytest.fixture
def licheng_head(licheng_intake):
    return User.objects.create(
        username="licheng_head",
        real_name="历城院长",
        role=Role.INSTITUTE_HEAD,
        organisation=licheng_intake.organisation,
    )


@pytest.fixture
def raised(lixia_intake, lixia_head, licheng_intake, licheng_head):
    """One accepted case in Lixia and one in Licheng; the rules warn of two clocks of each."""
    with time_machine.travel(f"{D.isoformat()} 10:00 +0800", tick=False):
        lixia = factories.accepted(lixia_intake, lixia_head)
        licheng = factories.accepted(licheng_intake, licheng_head, code="370112")
        warnings.run_rules()
    return lixia, licheng


@pytest.fixture
def warning(raised):
    """The Lixia head's warning that the tribunal-notice clock of the Lixia case falls due."""
    return EarlyWarning.objects.get(
        kind=K.DEADLINE_DUE, reason__code="tribunal_notice", cases=raised[0]
    )


@pytest.fixture
def licheng_warning(raised):
    return EarlyWarning.objects.get(
        kind=K.DEADLINE_DUE, reason__code="tribunal_notice", cases=raised[1]
    )


def listed(client, **params):
    response = client.get(reverse("monitoring:warning-list"), params)
    assert response.status_code == 200
    return {row.warning.pk for row in response.context["rows"]}


def detail_url(warning, action=""):
    name = f"monitoring:warning-{action}" if action else "monitoring:warning-detail"
    return reverse(name, args=[warning.pk])


def shown(response):
    return [str(m) for m in response.context["messages"]]


# --- The list -----------------------------------------------------------------------------------


def test_it_lists_only_the_warnings_in_scope(login, raised, lixia_head, licheng_head, jinan_admin):
    lixia_case, licheng_case = raised
    lixia = set(EarlyWarning.objects.filter(cases=lixia_case).values_list("pk", flat=True))
    licheng = set(EarlyWarning.objects.filter(cases=licheng_case).values_list("pk", flat=True))
    assert len(lixia) == len(licheng) == 2
    assert listed(login(lixia_head)) == lixia
    assert listed(login(licheng_head)) == licheng
    assert listed(login(jinan_admin)) == lixia | licheng


def test_a_row_says_why_it_fired(login, warning, lixia_head):
    response = login(lixia_head).get(reverse("monitoring:warning-list"))
    body = response.content.decode()
    assert detail_url(warning) in body
    assert "2026-03-09" in body  # the due date, from the reason
    assert warning.organisation.short_name in body or warning.organisation.name in body
    assert "data-label=" in body


def test_the_list_is_newest_first_and_paginated(login, raised, lixia_head, settings):
    pks = list(
        EarlyWarning.objects.filter(cases=raised[0])
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    client = login(lixia_head)
    original, views_warnings.PAGE_SIZE = views_warnings.PAGE_SIZE, 1
    try:
        first = client.get(reverse("monitoring:warning-list"), {"severity": S.MEDIUM})
        second = client.get(reverse("monitoring:warning-list"), {"severity": S.MEDIUM, "page": 2})
    finally:
        views_warnings.PAGE_SIZE = original
    assert [r.warning.pk for r in first.context["rows"]] == pks[:1]
    assert [r.warning.pk for r in second.context["rows"]] == pks[1:2]
    assert "severity=medium&amp;page=2" in first.content.decode()


def test_the_filters_narrow_the_list(login, raised, warning, lixia_head, lixia_clerk):
    client = login(lixia_head)
    everything = listed(client)
    assert listed(client, kind=K.COLLECTIVE) == set()
    assert listed(client, kind=K.DEADLINE_DUE) == everything
    assert listed(client, severity=S.HIGH) == set()
    assert listed(client, severity=S.MEDIUM) == everything

    client.post(detail_url(warning, "acknowledge"))
    assert listed(client, status="acknowledged") == {warning.pk}
    assert listed(client, status="open") == everything - {warning.pk}

    client.post(detail_url(warning, "resolve"))
    assert listed(client) == everything - {warning.pk}  # by default: not resolved
    assert listed(client, status="resolved") == {warning.pk}
    assert listed(client, status="all") == everything

    other = EarlyWarning.objects.get(pk__in=everything - {warning.pk})
    client.post(detail_url(other, "assign"), {"to": lixia_clerk.pk})
    assert listed(login(lixia_clerk), mine="on") == {other.pk}
    assert listed(login(lixia_head), mine="on") == set()


def test_a_bad_filter_value_is_shown_not_a_500(login, raised, lixia_head):
    response = login(lixia_head).get(reverse("monitoring:warning-list"), {"kind": "nonsense"})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert len(response.context["rows"]) == 2


def test_the_list_takes_few_queries(login, raised, lixia_head, django_assert_max_num_queries):
    client = login(lixia_head)
    with django_assert_max_num_queries(12):
        client.get(reverse("monitoring:warning-list"))


def test_the_public_get_403_and_strangers_log_in(client, login, warning, worker_demo):
    url = reverse("monitoring:warning-list")
    assert client.get(url).status_code == 302
    assert client.get(detail_url(warning)).status_code == 302
    assert client.post(detail_url(warning, "acknowledge")).status_code == 302
    public = login(worker_demo)
    assert public.get(url).status_code == 403
    assert public.get(detail_url(warning)).status_code == 403
    assert public.post(detail_url(warning, "acknowledge")).status_code == 403


# --- One warning --------------------------------------------------------------------------------


def test_the_detail_shows_the_reason_cases_and_history(login, raised, warning, lixia_head):
    response = login(lixia_head).get(detail_url(warning))
    assert response.status_code == 200
    body = response.content.decode()
    values = [value for _label, value in response.context["facts"]]
    assert "2026-03-09" in values and "5" in values and raised[0].case_number in values
    with translation.override("en"):
        facts = dict(views_warnings.reason_facts(warning.reason))
    assert facts["Due on"] == "2026-03-09"
    assert facts["Working days left"] == "5"
    assert facts["Case number"] == raised[0].case_number
    assert str(warning.reason["deadline"]) not in facts.values()  # internal, not a figure
    assert '"due_on"' not in body  # no raw JSON
    assert reverse("cases:case-detail", args=[raised[0].pk]) in body
    assert raised[0].case_number in body
    assert [item.event.kind for item in response.context["history"]] == ["warning.raised"]
    # The head may act on it: all three actions are offered, with CSRF tokens.
    for action in ("acknowledge", "assign", "resolve"):
        assert detail_url(warning, action) in body
    assert "csrfmiddlewaretoken" in body


def test_the_assignee_choice_holds_only_staff_who_can_see_the_warning(
    login, warning, lixia_head, lixia_clerk, licheng_intake, province_admin
):
    choices = login(lixia_head).get(detail_url(warning)).context["assign_form"].fields["to"]
    people = set(choices.queryset)
    assert {lixia_head, lixia_clerk} <= people
    assert licheng_intake not in people
    assert province_admin not in people  # above the head: not the head's to hand work to
    wider = login(province_admin).get(detail_url(warning)).context["assign_form"]
    assert province_admin in set(wider.fields["to"].queryset)
    assert licheng_intake not in set(wider.fields["to"].queryset)


def test_a_clerk_sees_the_warning_but_no_actions(login, warning, lixia_clerk):
    response = login(lixia_clerk).get(detail_url(warning))
    assert response.status_code == 200
    assert not response.context["may_acknowledge"]
    assert not response.context["may_resolve"]
    assert response.context["assign_form"] is None


def test_another_county_gets_404(login, warning, licheng_warning, licheng_head, lixia_head):
    client = login(licheng_head)
    assert client.get(detail_url(warning)).status_code == 404
    for action in ("acknowledge", "resolve"):
        assert client.post(detail_url(warning, action)).status_code == 404
    response = client.post(detail_url(warning, "assign"), {"to": licheng_head.pk})
    assert response.status_code == 404
    assert login(lixia_head).get(detail_url(licheng_warning)).status_code == 404
    assert client.get(reverse("monitoring:warning-detail", args=[999999])).status_code == 404
    warning.refresh_from_db()
    assert (warning.status, warning.assigned_to) == (EarlyWarning.Status.OPEN, lixia_head)


# --- Actions ------------------------------------------------------------------------------------


def test_acknowledging_changes_the_status_and_records_it_once(login, warning, lixia_head):
    client = login(lixia_head)
    response = client.post(detail_url(warning, "acknowledge"))
    assert response.status_code == 302
    assert response.url == detail_url(warning)
    again = client.post(detail_url(warning, "acknowledge"), follow=True)
    assert again.status_code == 200
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.ACKNOWLEDGED
    assert warning.acknowledged_by == lixia_head
    assert [e.kind for e in events_of(warning)] == ["warning.raised", "warning.acknowledged"]
    assert events_of(warning).last().actor == lixia_head


def test_actions_are_post_only(login, warning, lixia_head):
    client = login(lixia_head)
    for action in ("acknowledge", "assign", "resolve"):
        assert client.get(detail_url(warning, action)).status_code == 405
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.OPEN


def test_actions_need_the_csrf_token(warning, lixia_head):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lixia_head)
    assert client.post(detail_url(warning, "acknowledge")).status_code == 403
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.OPEN


def test_a_non_manager_cannot_assign(login, warning, lixia_head, lixia_clerk):
    response = login(lixia_clerk).post(detail_url(warning, "assign"), {"to": lixia_clerk.pk})
    assert response.status_code == 403
    assert shown(response) == ["您无权处理此预警。"]
    warning.refresh_from_db()
    assert warning.assigned_to == lixia_head
    assert [e.kind for e in events_of(warning)] == ["warning.raised"]


def test_a_non_manager_who_is_not_the_assignee_cannot_acknowledge_or_resolve(
    login, warning, lixia_clerk
):
    client = login(lixia_clerk)
    for action in ("acknowledge", "resolve"):
        response = client.post(detail_url(warning, action))
        assert response.status_code == 403
        assert "您无权处理此预警。" in response.content.decode()
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.OPEN


def test_assigning_to_someone_out_of_scope_is_refused(
    login, warning, lixia_head, licheng_intake, worker_demo
):
    client = login(lixia_head)
    for stranger in (licheng_intake, worker_demo):
        response = client.post(detail_url(warning, "assign"), {"to": stranger.pk})
        assert response.status_code == 400
        assert "该人员无权查看此预警。" in response.content.decode()
    assert client.post(detail_url(warning, "assign"), {"to": "x"}).status_code == 400
    assert client.post(detail_url(warning, "assign"), {}).status_code == 400
    warning.refresh_from_db()
    assert warning.assigned_to == lixia_head
    assert [e.kind for e in events_of(warning)] == ["warning.raised"]


def test_the_head_assigns_and_the_assignee_acts(login, warning, lixia_head, lixia_clerk):
    response = login(lixia_head).post(detail_url(warning, "assign"), {"to": lixia_clerk.pk})
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.assigned_to == lixia_clerk
    assigned = events_of(warning).last()
    assert (assigned.kind, assigned.actor) == ("warning.assigned", lixia_head)

    clerk = login(lixia_clerk)
    page = clerk.get(detail_url(warning))
    assert page.context["may_acknowledge"] and page.context["may_resolve"]
    assert page.context["assign_form"] is None
    assigned_item = page.context["history"][-1]
    assert str(lixia_head) in assigned_item.details[0]  # from whom to whom
    assert str(lixia_clerk) in assigned_item.details[0]
    assert clerk.post(detail_url(warning, "acknowledge")).status_code == 302
    assert clerk.post(detail_url(warning, "resolve")).status_code == 302
    warning.refresh_from_db()
    assert (warning.status, warning.resolved_by) == (EarlyWarning.Status.RESOLVED, lixia_clerk)


def test_resolving_twice_is_harmless(login, warning, lixia_head):
    client = login(lixia_head)
    first = client.post(detail_url(warning, "resolve"))
    assert first.status_code == 302
    second = client.post(detail_url(warning, "resolve"), follow=True)
    assert second.status_code == 200
    assert second.context["warning"].status == EarlyWarning.Status.RESOLVED
    assert [e.kind for e in events_of(warning)] == ["warning.raised", "warning.resolved"]
    # Nothing is offered on a resolved warning; acknowledging it now is refused, not a 500.
    assert not second.context["may_acknowledge"] and not second.context["may_resolve"]
    assert second.context["assign_form"] is None
    late = client.post(detail_url(warning, "acknowledge"))
    assert late.status_code == 400
    assert shown(late) == ["该预警已解除。"]
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.RESOLVED
    assert warning.acknowledged_by is None
