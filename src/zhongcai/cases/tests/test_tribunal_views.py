"""The tribunal stage through the staff pages: the panel, its forms, the declared relations."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongcai.accounts.models import User
from zhongcai.cases import integrity
from zhongcai.cases.models import (
    ArbitratorRelation,
    Case,
    DocumentKind,
    Party,
    RecusalApplication,
    Status,
    TribunalKind,
    TribunalMember,
)
from zhongcai.cases.tests import factories
from zhongcai.cases.tribunal import (
    draws_of,
    recusal_apply,
    recusal_decide,
    relation_declare,
    tribunal_form,
    tribunal_member_replace,
)
from zhongcai.cases.views import tribunal as tribunal_views
from zhongcai.core.events import events_of
from zhongcai.orgs.models import Person

Seat = TribunalMember.Seat


def _url(name: str, case: Case) -> str:
    return reverse(f"cases:case-{name}", args=[case.pk])


def _page(client, case: Case) -> str:
    response = client.get(reverse("cases:case-detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _status(case: Case) -> str:
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def _recorder() -> Person:
    return factories.tribunal_person("杨静")


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _form_data(**values: object) -> dict[str, object]:
    data = {"kind": "sole", "mode": "draw", "recorder": _recorder().pk, "reason": ""}
    data.update(values)
    return {f"tribunal-{key}": value for key, value in data.items()}


def test_the_head_draws_the_tribunal_on_the_case_page(
    institutions, login, lixia_intake, lixia_head
):
    case = factories.accepted(lixia_intake, lixia_head)
    client = login(lixia_head)
    page = _page(client, case)
    assert _url("form-tribunal", case) in page
    assert "孙海燕" in page  # the candidates are offered by name

    response = client.post(_url("form-tribunal", case), _form_data())
    assert response.status_code == 302
    assert _status(case) == Status.PANEL_FORMED
    draw = draws_of(case)[0]
    page = _page(client, case)
    assert draw.seed in page
    assert 'class="ok"' in page  # replayable: yes
    assert "杨静" in page
    assert _url("form-tribunal", case) not in page  # one case, one tribunal
    assert _url("replace-tribunal-member", case) in page
    assert reverse("cases:relations") in page
    case.refresh_from_db()
    assert integrity.problems_of(case, list(events_of(case))) == []


def test_a_designation_without_reason_shows_the_form_again(
    institutions, login, lixia_intake, lixia_head
):
    case = factories.accepted(lixia_intake, lixia_head)
    arbitrator = factories.people_of()[0]
    response = login(lixia_head).post(
        _url("form-tribunal", case),
        _form_data(mode="designate", designated=[arbitrator.pk]),
    )
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not case.tribunal.exists()
    assert _status(case) == Status.ACCEPTED


def test_a_related_arbitrator_is_marked_and_refused(institutions, login, lixia_intake, lixia_head):
    related = factories.tribunal_person("孙海燕")
    relation_declare(by=lixia_head, person=related, name="济南示例商贸有限公司", relation="顾问")
    case = factories.accepted(lixia_intake, lixia_head)
    client = login(lixia_head)
    response = client.post(
        _url("form-tribunal", case),
        _form_data(mode="designate", designated=[related.pk], reason="熟悉此类纠纷"),
    )
    assert response.status_code == 400
    assert not case.tribunal.exists()


def test_a_clerk_may_not_form_the_tribunal(
    institutions, login, lixia_intake, lixia_head, lixia_clerk
):
    case = factories.accepted(lixia_intake, lixia_head)
    client = login(lixia_clerk)
    assert _url("form-tribunal", case) not in _page(client, case)
    assert client.post(_url("form-tribunal", case), _form_data()).status_code == 403
    assert not case.tribunal.exists()


def test_the_city_may_look_but_not_act(institutions, login, lixia_intake, lixia_head, jinan_admin):
    case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    client = login(jinan_admin)
    for name in ("form-tribunal", "replace-tribunal-member", "apply-recusal", "decide-recusal"):
        assert client.post(_url(name, case), {}).status_code == 403, name
    assert client.get(reverse("cases:relations")).status_code == 403
    person = factories.tribunal_person("陈雪梅")
    add = reverse("cases:relation-add", args=[person.pk])
    assert client.post(add, {f"person{person.pk}-name": "x"}).status_code == 403


def test_another_county_gets_404_on_every_url(
    institutions, login, lixia_intake, lixia_head, licheng_arbitrator, licheng_intake
):
    case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    person = factories.tribunal_person("陈雪梅")
    relation = relation_declare(by=lixia_head, person=person, name="某公司", relation="亲属")
    for user in (licheng_intake, licheng_arbitrator):
        client = login(user)
        for name in ("form-tribunal", "replace-tribunal-member", "apply-recusal", "decide-recusal"):
            assert client.post(_url(name, case), {}).status_code == 404, name
    client = login(licheng_arbitrator)  # keeps their own relations, nobody else's
    add = reverse("cases:relation-add", args=[person.pk])
    assert client.post(add, {f"person{person.pk}-name": "x"}).status_code == 404
    withdraw = reverse("cases:relation-withdraw", args=[relation.pk])
    assert client.post(withdraw).status_code == 404
    page = client.get(reverse("cases:relations")).content.decode()
    assert "徐峰" in page and "陈雪梅" not in page
    relation.refresh_from_db()
    assert relation.withdrawn_at is None


def test_a_case_not_yet_accepted_is_refused_with_a_message(
    institutions, login, lixia_intake, lixia_head
):
    case = factories.received(lixia_intake)
    response = login(lixia_head).post(_url("form-tribunal", case), _form_data())
    assert response.status_code == 302
    assert _messages(response)
    assert not case.tribunal.exists()


def test_a_recusal_on_the_pages_stops_the_member_then_upheld_prompts_replacement(
    institutions, login, lixia_intake, lixia_head, lixia_clerk
):
    case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    member = case.tribunal.get(seat=Seat.SOLE)
    applicant = case.parties.get(role=Party.Role.APPLICANT)
    clerk = login(lixia_clerk)
    response = clerk.post(
        _url("apply-recusal", case),
        {
            "recusal-member": member.pk,
            "recusal-applicant": applicant.pk,
            "recusal-ground": "interest",
            "recusal-reasons": "该仲裁员曾担任被申请人顾问",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    application = RecusalApplication.objects.get(case=case)
    assert application.deadline.due_on.isoformat() in _page(clerk, case)
    assert 'class="badge warn"' in _page(clerk, case)  # stops participating until decided
    assert clerk.post(_url("decide-recusal", case), {}).status_code == 403

    head = login(lixia_head)
    response = head.post(
        _url("decide-recusal", case),
        {
            "decide-application": application.pk,
            "decide-upheld": "yes",
            "decide-reasons": "经查属实",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.end_reason == "recused"
    decision = case.documents.get(kind=DocumentKind.DECISION)
    page = _page(head, case)
    assert decision.title in page
    assert 'class="notice warn"' in page  # fill the seat

    response = head.post(
        _url("replace-tribunal-member", case),
        {"replace-member": member.pk, "replace-mode": "draw", "replace-reason": "原仲裁员回避"},
    )
    assert response.status_code == 302
    assert case.tribunal.filter(replaces=member).exists()
    assert 'class="notice warn"' not in _page(head, case)


def test_bad_recusal_input_writes_nothing(
    institutions, login, lixia_intake, lixia_head, lixia_clerk
):
    case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    member = case.tribunal.get(seat=Seat.SOLE)
    response = login(lixia_clerk).post(
        _url("apply-recusal", case),
        {"recusal-member": member.pk, "recusal-ground": "interest", "recusal-reasons": ""},
    )
    assert response.status_code == 400
    assert not RecusalApplication.objects.filter(case=case).exists()
    assert not case.deadlines.filter(code="recusal_decision").exists()


# --- Declared relations -------------------------------------------------------------------------


def test_an_arbitrator_keeps_their_own_relations(institutions, login, lixia_arbitrator):
    own = Person.objects.get(user=lixia_arbitrator)
    client = login(lixia_arbitrator)
    page = client.get(reverse("cases:relations")).content.decode()
    assert own.name in page and "陈雪梅" not in page
    prefix = f"person{own.pk}"
    response = client.post(
        reverse("cases:relation-add", args=[own.pk]),
        {f"{prefix}-name": "济南示例商贸有限公司", f"{prefix}-relation": "配偶在该公司任职"},
    )
    assert response.status_code == 302
    relation = ArbitratorRelation.objects.get(person=own)
    assert relation.declared_by == lixia_arbitrator
    other = factories.tribunal_person("陈雪梅")
    assert (
        client.post(
            reverse("cases:relation-add", args=[other.pk]), {f"person{other.pk}-name": "x"}
        ).status_code
        == 404
    )
    assert client.post(reverse("cases:relation-withdraw", args=[relation.pk])).status_code == 302
    relation.refresh_from_db()
    assert relation.withdrawn_at is not None


def test_the_head_keeps_the_commissions_relations(institutions, login, lixia_head):
    client = login(lixia_head)
    page = client.get(reverse("cases:relations")).content.decode()
    for name in ("李明远", "陈雪梅", "孙海燕", "杨静"):
        assert name in page
    person = factories.tribunal_person("孙海燕")
    prefix = f"person{person.pk}"
    bad = client.post(
        reverse("cases:relation-add", args=[person.pk]),
        {f"{prefix}-name": "王秀英", f"{prefix}-relation": "表姐", f"{prefix}-id_number": "12"},
    )
    assert bad.status_code == 400
    assert not ArbitratorRelation.objects.filter(person=person).exists()


# --- Bounded queries ----------------------------------------------------------------------------


def _render_panel(case: Case, user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    case = Case.objects.select_related("commission", "institute").get(pk=case.pk)
    stage = tribunal_views.panel(request, case, {})
    return render_to_string(
        "cases/stages/_tribunal.html", {"stage": stage, "case": case}, request=request
    )


def _busy_case(intake: User, head: User, clerk: User, index: int) -> Case:
    """Two draws, recusals rejected, upheld and pending, a replaced recorder."""
    case = factories.accepted(intake, head, **factories.tribunal_fresh_parties(index))
    sole, recorder = tribunal_form(
        by=head, case=case, kind=TribunalKind.SOLE, mode="draw", recorder=_recorder().pk
    )
    first = recusal_apply(
        by=clerk, case=case, member=sole, applicant=None, ground="relative", reasons="亲属"
    )
    recusal_decide(by=head, case=case, application=first, upheld=False, reasons="不属实")
    second = recusal_apply(
        by=clerk, case=case, member=sole, applicant=None, ground="interest", reasons="利害"
    )
    recusal_decide(by=head, case=case, application=second, upheld=True, reasons="属实")
    new = tribunal_member_replace(by=head, case=case, member=sole, mode="draw", reason="回避")
    tribunal_member_replace(
        by=head,
        case=case,
        member=recorder,
        mode="designate",
        person=factories.tribunal_person("马晓丽").pk,
        reason="休假",
    )
    recusal_apply(by=clerk, case=case, member=new, applicant=None, ground="other_relation",
                  reasons="同学")  # fmt: skip
    return case


def test_the_panel_answers_in_a_bounded_number_of_queries(
    institutions, lixia_intake, lixia_head, lixia_clerk, django_assert_max_num_queries
):
    small = factories.accepted(lixia_intake, lixia_head)
    sole, _recorder_seat = tribunal_form(
        by=lixia_head, case=small, kind=TribunalKind.SOLE, mode="draw", recorder=_recorder().pk
    )
    recusal_apply(
        by=lixia_clerk,
        case=small,
        member=sole,
        applicant=None,
        ground="relative",
        reasons="亲属",
    )
    with CaptureQueriesContext(connection) as captured:
        _render_panel(small, lixia_head)
    one_row = len(captured)
    busy = _busy_case(lixia_intake, lixia_head, lixia_clerk, 7)
    assert busy.recusals.count() == 3 and len(draws_of(busy)) == 2
    with django_assert_max_num_queries(one_row):
        html = _render_panel(busy, lixia_head)
    assert "马晓丽" in html


def test_the_case_page_shows_the_busy_tribunal(
    institutions, login, lixia_intake, lixia_head, lixia_clerk
):
    case = _busy_case(lixia_intake, lixia_head, lixia_clerk, 8)
    page = _page(login(lixia_head), case)
    for draw in draws_of(case):
        assert draw.seed in page
    assert page.count('class="badge warn"') >= 1


@pytest.mark.parametrize("name", sorted(tribunal_views.ACTION_URLS))
def test_every_action_of_the_stage_has_its_page(name):
    assert reverse(tribunal_views.ACTION_URLS[name], args=[1]).endswith("/")
