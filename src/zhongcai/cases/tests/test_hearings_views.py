"""Hearings through the staff pages: the case page's panel, its steps, the printable record and
the hearing calendar; who may do what, and how many queries it takes."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongcai.cases import hearings
from zhongcai.cases.models import Case, Hearing, HearingRecord, Party, ServiceMethod, Status
from zhongcai.cases.views import hearings as hearing_views
from zhongcai.orgs.models import HearingRoom, Person

from .factories import accepted, in_defence_period, tribunal_formed
from .test_hearings import MONDAY, at, ready, schedule, travel


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def case(monday, institutions, lixia_intake, lixia_head, lixia_clerk) -> Case:
    return ready(lixia_intake, lixia_head, lixia_clerk)


def _url(action: str, case: Case) -> str:
    return reverse(hearing_views.ACTION_URLS[action], args=[case.pk])


def _room(case: Case) -> HearingRoom:
    return HearingRoom.objects.filter(commission=case.commission, is_active=True).first()


def _booking(case: Case, when: str = "2026-03-17T09:00") -> dict[str, Any]:
    return {
        "starts_at": when,
        "duration": "120",
        "room": str(_room(case).pk),
        "notice_method": ServiceMethod.IN_PERSON,
    }


def test_the_case_page_offers_scheduling_with_the_earliest_date(case, login, lixia_clerk):
    page = login(lixia_clerk).get(reverse("cases:case-detail", args=[case.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="card hearings"' in body
    assert _url("schedule_hearing", case) in body
    assert "2026-03-17" in body  # the earliest hearing day, in the form's help


def test_a_hearing_notice_4_days_ahead_is_refused_on_the_page(case, login, lixia_clerk):
    response = login(lixia_clerk).post(
        _url("schedule_hearing", case), _booking(case, "2026-03-13T09:00")
    )
    assert response.status_code == 400
    assert "2026-03-17" in response.content.decode()
    assert not Hearing.objects.filter(case=case).exists()


def test_the_hearing_runs_through_the_pages(case, login, lixia_clerk, lixia_arbitrator):
    clerk = login(lixia_clerk)
    response = clerk.post(_url("schedule_hearing", case), _booking(case))
    assert response.status_code == 302
    hearing = Hearing.objects.get(case=case)
    page = clerk.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "hearing hearing-scheduled" in page
    assert hearing.notice.title in page

    applicant = case.parties.get(role=Party.Role.APPLICANT)
    respondent = case.parties.get(role=Party.Role.RESPONDENT)
    with travel(17):
        arbitrator = login(lixia_arbitrator)
        assert arbitrator.post(_url("open_hearing", case), {}).status_code == 302
        assert Case.objects.get(pk=case.pk).status == Status.HEARING
        clerk = login(lixia_clerk)
        for party, presence in ((applicant, "present"), (respondent, "absent")):
            response = clerk.post(
                _url("record_attendance", case), {"party": party.pk, "presence": presence}
            )
            assert response.status_code == 302
        response = clerk.post(
            _url("write_hearing_record", case), {"hearing": hearing.pk, "text": "现在开庭。"}
        )
        assert response.status_code == 302
        record = HearingRecord.objects.get(hearing=hearing)
        response = clerk.post(
            _url("sign_hearing_record", case),
            {"record": record.pk, "signer": f"party:{respondent.pk}", "method": "screen",
             "refused": "on"},
        )  # fmt: skip
        assert response.status_code == 302
        page = clerk.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
        assert "attendance-default" in page  # the respondent's default is shown
        assert record.sha256[:12] in page
        printable = clerk.get(reverse("cases:case-hearing-record", args=[case.pk, hearing.pk]))
        assert printable.status_code == 200
        assert record.sha256 in printable.content.decode()
        assert "现在开庭。" in printable.content.decode()
        arbitrator = login(lixia_arbitrator)
        response = arbitrator.post(_url("close_hearing", case), {"adjourned": "on"})
        assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.DELIBERATION


def test_the_printable_record_shows_any_version(case, login, lixia_clerk, lixia_arbitrator):
    hearing = schedule(case, lixia_clerk, at(17))
    with travel(17):
        hearings.hearing_open(by=lixia_arbitrator, case=case)
        hearings.hearing_record_write(by=lixia_clerk, case=case, hearing=hearing, text="第一版")
        hearings.hearing_record_write(
            by=lixia_clerk, case=case, hearing=hearing, text="第二版", correction_reason="补正"
        )
    url = reverse("cases:case-hearing-record", args=[case.pk, hearing.pk])
    clerk = login(lixia_clerk)
    assert "第二版" in clerk.get(url).content.decode()
    first = clerk.get(url, {"version": 1}).content.decode()
    assert "第一版" in first and "第二版" not in first.split("record-text")[1]
    assert clerk.get(url, {"version": 9}).status_code == 404


def test_deemed_withdrawal_says_re_application_is_not_accepted(
    case, login, lixia_clerk, lixia_arbitrator
):
    schedule(case, lixia_clerk, at(17))
    with travel(17, 10):
        arbitrator = login(lixia_arbitrator)
        page = arbitrator.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
        assert _url("deem_withdrawn", case) in page  # the start time has passed
        response = arbitrator.post(_url("deem_withdrawn", case), {"reasons": "申请人未到庭"})
        assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED_DEEMED_WITHDRAWN
    page = login(lixia_clerk).get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "reapplication-barred" in page


def test_deemed_withdrawal_is_not_offered_before_the_start(
    case, login, lixia_clerk, lixia_arbitrator
):
    schedule(case, lixia_clerk, at(17))
    page = login(lixia_arbitrator).get(reverse("cases:case-detail", args=[case.pk]))
    assert _url("deem_withdrawn", case) not in page.content.decode()


def test_wrong_role_gets_403(case, login, lixia_intake, jinan_admin):
    for user in (lixia_intake, jinan_admin):
        response = login(user).post(_url("schedule_hearing", case), _booking(case))
        assert response.status_code == 403
    assert not Hearing.objects.filter(case=case).exists()


def test_wrong_state_is_refused_with_a_message(case, login, lixia_arbitrator):
    response = login(lixia_arbitrator).post(_url("open_hearing", case), {}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:case-detail", args=[case.pk])
    assert Case.objects.get(pk=case.pk).status == Status.DEFENCE_PERIOD


def test_other_county_gets_404_everywhere(case, login, lixia_clerk, licheng_intake):
    hearing = schedule(case, lixia_clerk, at(17))
    outsider = login(licheng_intake)
    for action in hearing_views.ACTIONS:
        assert outsider.post(_url(action, case), {}).status_code == 404
    record = reverse("cases:case-hearing-record", args=[case.pk, hearing.pk])
    assert outsider.get(record).status_code == 404
    calendar = outsider.get(reverse("cases:hearing-calendar")).content.decode()
    assert case.case_number not in calendar


def test_the_calendar_lists_hearings_by_room(case, login, lixia_clerk):
    schedule(case, lixia_clerk, at(17))
    page = login(lixia_clerk).get(reverse("cases:hearing-calendar"), {"days": 30})
    assert page.status_code == 200
    body = page.content.decode()
    assert case.case_number in body
    assert _room(case).name in body


def test_the_calendar_needs_staff(client, worker_demo, login):
    assert client.get(reverse("cases:hearing-calendar")).status_code == 302
    assert login(worker_demo).get(reverse("cases:hearing-calendar")).status_code == 403


# --- Bounded queries --------------------------------------------------------------------------


def _busy_case(intake, head, clerk, arbitrator, *, sessions: int, facts: str) -> Case:
    """A case with ``sessions`` sessions, each with attendance, two versions and signatures."""
    case = accepted(intake, head, facts_and_reasons=facts)
    case = tribunal_formed(case, head)
    case = in_defence_period(case, clerk)
    days = [17, 25, 31]
    for index in range(sessions):
        hearing = schedule(case, clerk, at(days[index], 14 + index % 2))
        with travel(days[index], 15):
            hearings.hearing_open(by=arbitrator, case=case)
            for party in case.parties.all():
                hearings.attendance_record(by=clerk, case=case, party=party, presence="present")
            hearings.hearing_record_write(by=clerk, case=case, hearing=hearing, text="v1")
            record = hearings.hearing_record_write(
                by=clerk, case=case, hearing=hearing, text="v2", correction_reason="补正"
            )
            for person in hearing.people.all():
                hearings.hearing_record_sign(
                    by=clerk, case=case, record=record, method="screen", person=person
                )
            hearings.hearing_close(by=arbitrator, case=case, adjourned=True)
    return Case.objects.get(pk=case.pk)


def _panel_queries(case: Case, user: Any) -> int:
    request = RequestFactory().get("/")
    request.user = user
    case = Case.objects.select_related("commission", "institute").get(pk=case.pk)
    prefetch_related_objects([case], "parties__agents")
    with CaptureQueriesContext(connection) as captured:
        context = hearing_views.panel(request, case, {})
    assert context["visible"]
    return len(captured)


def test_the_panel_runs_a_bounded_number_of_queries(
    monday, institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    one = _busy_case(
        lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator, sessions=1, facts="一"
    )
    three = _busy_case(
        lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator, sessions=3, facts="三"
    )
    assert three.hearings.count() == 3
    with travel(31, 18):
        few, many = _panel_queries(one, lixia_clerk), _panel_queries(three, lixia_clerk)
    assert many <= few, (few, many)


def test_the_calendar_runs_a_bounded_number_of_queries(
    monday,
    institutions,
    lixia_intake,
    lixia_head,
    lixia_clerk,
    login,
    django_assert_max_num_queries,
):
    first = ready(lixia_intake, lixia_head, lixia_clerk, facts_and_reasons="一")
    schedule(first, lixia_clerk, at(17, 9))
    client = login(lixia_clerk)
    url = reverse("cases:hearing-calendar")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for index, day in enumerate((18, 19)):
        other = ready(lixia_intake, lixia_head, lixia_clerk, facts_and_reasons=f"案{index}")
        schedule(other, lixia_clerk, at(day, 9))
    with django_assert_max_num_queries(len(one)):
        page = client.get(url)
    assert page.content.decode().count("<tr>") == 4  # a header and three hearings


def test_people_of_a_hearing_are_the_seated_tribunal(case, lixia_clerk):
    hearing = schedule(case, lixia_clerk, at(17))
    kinds = sorted(p.kind for p in hearing.people.all())
    assert kinds == [Person.Kind.ARBITRATOR, Person.Kind.RECORDER]
