"""The closing stage on the staff pages: panel, steps, the file's contents, clocks to watch."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongcai.cases import archive, closing
from zhongcai.cases.models import Case, Status, SuspensionReason
from zhongcai.cases.tests import factories
from zhongcai.core.events import events_of

pytestmark = pytest.mark.django_db

D = date(2026, 3, 2)


def at(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00 +0800"


@pytest.fixture(autouse=True)
def _after_d():
    with time_machine.travel(at(D + timedelta(days=5)), tick=False):
        yield


@pytest.fixture
def case(lixia_intake, lixia_head):
    with time_machine.travel(at(D), tick=False):
        return factories.accepted(lixia_intake, lixia_head)


def page(client, case):
    return client.get(reverse("cases:case-detail", args=[case.pk]))


def step(client, case, action, data=None):
    url = reverse(f"cases:case-{action.replace('_', '-')}", args=[case.pk])
    return client.post(url, data or {})


def test_the_panel_shows_the_award_clock_and_the_heads_steps(login, case, lixia_head):
    html = page(login(lixia_head), case).content.decode()
    assert 'class="award-clock' in html
    assert 'class="derivation"' in html
    for action in ("suspend", "extend", "withdraw", "revoke", "transfer"):
        assert f"action-{action}" in html
    assert "action-resume" not in html
    assert 'id="id_extend_reasons"' in html


def test_a_clerk_is_offered_only_the_withdrawal(login, case, lixia_clerk):
    html = page(login(lixia_clerk), case).content.decode()
    assert "action-withdraw" in html
    assert "action-suspend" not in html
    assert "action-transfer" not in html


def test_suspend_and_resume_on_the_page(login, case, lixia_head):
    with time_machine.travel(at(D + timedelta(days=10)), tick=False):
        client = login(lixia_head)
        response = step(client, case, "suspend", {"reason": SuspensionReason.FORCE_MAJEURE})
        assert response.status_code == 302
        assert response.url == reverse("cases:case-detail", args=[case.pk])
        case.refresh_from_db()
        assert case.suspended
        html = page(client, case).content.decode()
        assert "suspended-flag" in html
        assert "action-resume" in html
    with time_machine.travel(at(D + timedelta(days=13)), tick=False):
        client = login(lixia_head)
        assert step(client, case, "resume", {"note": "恢复"}).status_code == 302
        html = page(client, case).content.decode()
    assert "2026-03-12" in html  # the suspended stretch in the derivation
    assert "suspended-flag" not in html
    case.refresh_from_db()
    assert not case.suspended


def test_bad_input_shows_the_form_again_with_its_error(login, case, lixia_head):
    response = step(login(lixia_head), case, "suspend", {"reason": "other"})
    assert response.status_code == 400
    assert 'id="id_suspend_note-error"' in response.content.decode()
    assert [e.kind for e in events_of(case)][-1] == "case.accepted"


def test_an_extension_after_expiry_is_refused_on_the_page(login, case, lixia_head):
    with time_machine.travel(at(D + timedelta(days=60)), tick=False):
        client = login(lixia_head)
        response = step(client, case, "extend", {"days": 5, "reasons": "案情复杂"})
    assert response.status_code == 400
    assert 'id="id_extend_days-error"' in response.content.decode()


def test_wrong_role_is_403_and_another_county_404(login, case, lixia_clerk, licheng_intake):
    assert step(login(lixia_clerk), case, "suspend", {"reason": "force_majeure"}).status_code == 403
    assert step(login(licheng_intake), case, "withdraw").status_code == 404
    assert login(licheng_intake).get(reverse("cases:case-file", args=[case.pk])).status_code == 404


def test_a_public_user_is_refused_the_staff_pages(login, case, worker_demo):
    client = login(worker_demo)
    assert step(client, case, "withdraw").status_code == 403
    assert client.get(reverse("cases:case-file", args=[case.pk])).status_code == 403


def test_a_step_no_longer_possible_goes_back_to_the_case_unchanged(login, case, lixia_head):
    client = login(lixia_head)
    assert step(client, case, "withdraw", {"reasons": "和解"}).status_code == 302
    count = events_of(case).count()
    response = step(client, case, "withdraw", {"reasons": "和解"})
    assert response.status_code == 302
    assert response.url == reverse("cases:case-detail", args=[case.pk])
    assert events_of(case).count() == count


def test_the_withdrawn_case_says_a_new_application_must_be_accepted(login, case, lixia_head):
    client = login(lixia_head)
    step(client, case, "withdraw", {"reasons": "和解"})
    html = page(client, case).content.decode()
    assert 'class="notice reapplication"' in html
    assert "action-approve_closing" in html


def test_the_transfer_links_both_pages(login, case, lixia_head, licheng_intake, jinan_admin):
    licheng = factories.commission("370112")
    response = step(login(lixia_head), case, "transfer", {"to": licheng.pk, "reasons": "履行地"})
    assert response.status_code == 302
    new = Case.objects.get(transferred_from=case)
    assert new.status == Status.RECEIVED

    old_page = page(login(lixia_head), case).content.decode()
    assert 'class="notice transferred-to"' in old_page
    assert reverse("cases:case-detail", args=[new.pk]) not in old_page  # not Lixia's to open

    city_page = page(login(jinan_admin), case).content.decode()
    assert reverse("cases:case-detail", args=[new.pk]) in city_page

    receiving = login(licheng_intake)
    assert page(receiving, case).status_code == 404
    new_page = page(receiving, new).content.decode()
    assert case.case_number in new_page
    assert 'class="timeline history-before-transfer"' in new_page


def test_the_file_page_lists_each_volume(login, case, lixia_head):
    closing.case_withdraw(by=lixia_head, case=case)
    archive.closing_approve(by=lixia_head, case=case)
    archive.case_archive(by=lixia_head, case=case)
    client = login(lixia_head)
    html = client.get(reverse("cases:case-file", args=[case.pk])).content.decode()
    assert 'class="card volume volume-main"' in html
    assert 'class="card volume volume-secondary"' in html
    assert "entry-closing_approval" in html
    assert "entry-application" in html
    assert reverse("cases:case-file", args=[case.pk]) in page(client, case).content.decode()


def test_the_clocks_page_lists_the_overdue_of_its_own_county(
    login, case, lixia_head, licheng_intake
):
    with time_machine.travel(at(D + timedelta(days=8)), tick=False):
        html = login(lixia_head).get(reverse("cases:clock-watch")).content.decode()
        assert 'class="is-overdue"' in html
        assert reverse("cases:case-detail", args=[case.pk]) in html
        html = login(licheng_intake).get(reverse("cases:clock-watch")).content.decode()
        assert reverse("cases:case-detail", args=[case.pk]) not in html


def _queries(client, case):
    with CaptureQueriesContext(connection) as queries:
        assert page(client, case).status_code == 200
    return len(queries)


def _history(case, head, rounds):
    for day in range(rounds):
        with time_machine.travel(at(D + timedelta(days=6 + 3 * day)), tick=False):
            closing.case_suspend(by=head, case=case, reason=SuspensionReason.FORCE_MAJEURE)
        with time_machine.travel(at(D + timedelta(days=7 + 3 * day)), tick=False):
            closing.case_resume(by=head, case=case)
            closing.case_extend(by=head, case=case, days=1, reasons="x")


def test_the_panel_answers_in_bounded_queries(
    login, lixia_intake, lixia_head, django_assert_max_num_queries
):
    with time_machine.travel(at(D), tick=False):
        one = factories.accepted(lixia_intake, lixia_head)
        several = factories.accepted(lixia_intake, lixia_head)
    _history(one, lixia_head, 1)
    _history(several, lixia_head, 4)
    with time_machine.travel(at(D + timedelta(days=20)), tick=False):
        client = login(lixia_head)
        _queries(client, one)  # warm the caches
        with django_assert_max_num_queries(_queries(client, one)):
            assert page(client, several).status_code == 200


def test_the_archived_file_page_answers_in_bounded_queries(
    login, lixia_intake, lixia_head, django_assert_max_num_queries
):
    cases = []
    for rounds in (1, 4):
        with time_machine.travel(at(D), tick=False):
            case = factories.accepted(lixia_intake, lixia_head)
        _history(case, lixia_head, rounds)
        closing.case_withdraw(by=lixia_head, case=case)
        archive.closing_approve(by=lixia_head, case=case)
        archive.case_archive(by=lixia_head, case=case)
        cases.append(case)
    client = login(lixia_head)
    url = reverse("cases:case-file", args=[cases[0].pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("cases:case-file", args=[cases[1].pk]))
