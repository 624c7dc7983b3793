"""The intake stage through the staff pages, as officers, heads and outsiders meet it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from zhongcai.cases import services
from zhongcai.cases.models import Case, Channel, Party, Status
from zhongcai.cases.views.detail import ACTION_URLS
from zhongcai.core.events import events_of

from .factories import (
    EMPLOYER,
    WORKER,
    accepted,
    application,
    commission,
    draft,
    id_number,
    received,
)

PREFIXES = {
    Party.Role.APPLICANT: "applicants",
    Party.Role.RESPONDENT: "respondents",
    Party.Role.THIRD_PARTY: "third_parties",
}
ACTION_DATA = {
    "submit": {"allow_incomplete": "on", "applicant_confirmed": "on"},
    "issue_correction_notice": {"items": "请补充考勤记录"},
    "submit_corrections": {},
    "accept": {"warnings_acknowledged": "on"},
    "refuse": {"ground": "out_of_scope", "reasons": "家政服务", "legal_basis": "解释（一）第二条"},
    "redirect": {"to": "", "reasons": "劳动合同履行地在青岛"},
}


def _management(data: dict[str, Any], prefix: str, total: int) -> None:
    data[f"{prefix}-TOTAL_FORMS"] = str(total)
    data[f"{prefix}-INITIAL_FORMS"] = "0"
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"


def form_data(app: dict[str, Any], channel: str = Channel.COUNTER) -> dict[str, Any]:
    """What the counter form posts for an application in the service's shape."""
    data: dict[str, Any] = {"channel": channel}
    for key in ("category", "personnel_subtype", "facts_and_reasons", "evidence_summary"):
        data[key] = app.get(key, "")
    data["workplace_division"] = app.get("workplace_division", "")
    data["causes"] = app.get("causes", [])
    data["not_labor_flags"] = app.get("not_labor_flags", [])
    for flag in ("collective", "simplified"):
        if app.get(flag):
            data[flag] = "on"
    if app.get("public_hearing", True):
        data["public_hearing"] = "on"
    rows: dict[str, int] = dict.fromkeys(PREFIXES.values(), 0)
    agents = 0
    for party in app.get("parties", []):
        prefix = PREFIXES[party["role"]]
        index = rows[prefix]
        rows[prefix] += 1
        for key, value in party.items():
            if key in ("role", "agents"):
                continue
            if isinstance(value, bool):
                if value:
                    data[f"{prefix}-{index}-{key}"] = "on"
            else:
                data[f"{prefix}-{index}-{key}"] = value
        for agent in party.get("agents", []):
            data[f"agents-{agents}-party"] = f"{prefix}-{index}"
            for key, value in agent.items():
                if value is True:
                    data[f"agents-{agents}-{key}"] = "on"
                elif value is not False:
                    data[f"agents-{agents}-{key}"] = value
            agents += 1
    for prefix, total in rows.items():
        _management(data, prefix, total)
    _management(data, "agents", agents)
    claims = app.get("claims", [])
    _management(data, "claims", len(claims))
    for index, claim in enumerate(claims):
        for key, value in claim.items():
            data[f"claims-{index}-{key}"] = value
    return data


def detail_url(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.pk])


def action_url(case: Case, action: str) -> str:
    return reverse(ACTION_URLS[action], args=[case.pk])


def status_of(case: Case) -> str:
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.django_db
def test_the_whole_stage_through_the_pages(login, lixia_intake, lixia_head):
    incomplete = application(facts_and_reasons="")
    # Sessions last two hours, so each day of the story logs in again.
    with time_machine.travel("2026-09-29 10:00 +0800", tick=False):
        client = login(lixia_intake)
        assert client.get(reverse("cases:case-create")).status_code == 200
        response = client.post(reverse("cases:case-create"), form_data(incomplete))
        assert response.status_code == 302
        case = Case.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
        assert case.status == Status.DRAFT
        assert [p.name for p in case.parties.all()] == [WORKER["name"], EMPLOYER["name"]]
        assert case.claims.count() == 2

        page = client.get(detail_url(case)).content.decode()
        assert action_url(case, "submit") in page
        assert "Facts and reasons are missing" in page or "事实和理由" in page

        response = client.post(action_url(case, "submit"), {"allow_incomplete": "on"})
        assert response.status_code == 302
        assert status_of(case) == Status.RECEIVED

        response = client.post(
            action_url(case, "issue_correction_notice"), {"items": "请补充考勤记录\n"}
        )
        assert response.status_code == 302
        assert status_of(case) == Status.AWAITING_CORRECTION

    with time_machine.travel("2026-09-30 09:00 +0800", tick=False):
        client = login(lixia_intake)
        assert client.get(reverse("cases:case-edit", args=[case.pk])).status_code == 200
        response = client.post(reverse("cases:case-edit", args=[case.pk]), form_data(application()))
        assert response.status_code == 302
        response = client.post(action_url(case, "submit_corrections"), {})
        assert response.status_code == 302
        assert status_of(case) == Status.RECEIVED

        page = client.get(detail_url(case)).content.decode()
        # The clock restarted on 09-30: 10-01..10-07 National Day, 10-10 a make-up Saturday.
        assert "2026-10-13" in page
        assert "→ 2026-10-13" in page
        assert action_url(case, "accept") not in page  # the officer has no authority to accept

        head = login(lixia_head)
        response = head.post(action_url(case, "accept"), {}, follow=True)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert case.case_number in " ".join(messages_of(response))
    assert [e.kind for e in events_of(case)] == [
        "case.drafted",
        "case.received",
        "case.correction_notice_issued",
        "case.application_updated",
        "case.corrections_submitted",
        "case.accepted",
    ]
    notice = events_of(case).get(kind="case.correction_notice_issued")
    assert "请补充考勤记录" in notice.payload["items"]


@pytest.mark.django_db
def test_a_head_refuses_with_ground_reasons_and_basis(login, lixia_intake, lixia_head):
    case = received(lixia_intake)
    client = login(lixia_head)
    response = client.post(action_url(case, "refuse"), {"ground": "", "reasons": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('class="error"') >= 3  # ground, reasons and basis, all at once
    assert status_of(case) == Status.RECEIVED
    response = client.post(action_url(case, "refuse"), ACTION_DATA["refuse"])
    assert response.status_code == 302
    assert status_of(case) == Status.NOT_ACCEPTED
    queue = client.get(reverse("cases:queue"), {"tab": "decided"}).content.decode()
    assert detail_url(case) in queue


@pytest.mark.django_db
def test_a_head_redirects_to_the_competent_commission_suggested_first(
    login, lixia_intake, lixia_head
):
    employer = {**EMPLOYER, "domicile_division": "370202"}
    case = received(lixia_intake, workplace_division="370202", parties=[WORKER, employer])
    shinan = commission("370202")
    client = login(lixia_head)
    page = client.get(detail_url(case)).content.decode()
    select = page[page.index('name="to"') :]
    assert select.index(f'value="{shinan.pk}"') < select.index(
        'value="', select.index("</optgroup>")
    )
    response = client.post(
        action_url(case, "redirect"), {**ACTION_DATA["redirect"], "to": shinan.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REDIRECTED
    assert case.redirected_to == shinan


@pytest.mark.django_db
def test_other_county_gets_404_on_every_case_url(login, lixia_intake, licheng_intake):
    case = received(lixia_intake)
    receipt = case.receipts.get()
    client = login(licheng_intake)
    for url in (
        detail_url(case),
        reverse("cases:case-edit", args=[case.pk]),
        reverse("cases:receipt-detail", args=[case.pk, receipt.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for action, data in ACTION_DATA.items():
        assert client.post(action_url(case, action), data).status_code == 404, action
    assert client.post(reverse("cases:case-edit", args=[case.pk]), {}).status_code == 404
    assert detail_url(case) not in client.get(reverse("cases:queue")).content.decode()
    assert status_of(case) == Status.RECEIVED


@pytest.mark.django_db
def test_a_public_user_gets_403(login, lixia_intake, worker_demo):
    case = received(lixia_intake)
    client = login(worker_demo)
    for url in (reverse("cases:queue"), reverse("cases:case-create"), detail_url(case)):
        assert client.get(url).status_code == 403, url
    assert client.post(action_url(case, "accept"), {}).status_code == 403


@pytest.mark.django_db
def test_an_arbitrator_sees_but_cannot_act(login, lixia_intake, lixia_arbitrator):
    case = received(lixia_intake)
    client = login(lixia_arbitrator)
    page = client.get(detail_url(case)).content.decode()
    assert WORKER["name"] in page
    assert 'method="post" action="/staff/cases/' not in page
    assert reverse("cases:case-edit", args=[case.pk]) not in page
    for action, data in ACTION_DATA.items():
        assert client.post(action_url(case, action), data).status_code == 403, action
    assert client.get(reverse("cases:case-edit", args=[case.pk])).status_code == 403
    assert client.get(reverse("cases:case-create")).status_code == 403
    assert status_of(case) == Status.RECEIVED


@pytest.mark.django_db
def test_a_step_in_the_wrong_state_says_why_and_changes_nothing(login, lixia_intake, lixia_head):
    case = accepted(lixia_intake, lixia_head)
    before = events_of(case).count()
    client = login(lixia_head)
    response = client.post(action_url(case, "accept"), ACTION_DATA["accept"], follow=True)
    assert response.redirect_chain[-1][0] == detail_url(case)
    assert messages_of(response)
    assert events_of(case).count() == before
    assert Case.objects.get(pk=case.pk).case_number == case.case_number


@pytest.mark.django_db
def test_when_another_head_accepted_first_the_page_says_so(
    login, lixia_intake, lixia_head, monkeypatch
):
    """Both heads opened the page; the other one's acceptance commits between our read and our
    write. The service's row lock turns ours into a clear message, not a second number."""
    from zhongcai.cases.views import actions

    case = received(lixia_intake)
    checks_of = actions.checks_of

    def the_other_head_is_quicker(seen):
        services.case_accept(by=lixia_head, case=seen, warnings_acknowledged=True)
        return checks_of(seen)

    monkeypatch.setattr(actions, "checks_of", the_other_head_is_quicker)
    response = login(lixia_head).post(action_url(case, "accept"), {}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(case)
    assert messages_of(response)
    assert events_of(case).filter(kind="case.accepted").count() == 1


@pytest.mark.django_db
def test_a_bad_id_check_digit_is_shown_next_to_the_field_and_nothing_is_written(
    login, lixia_intake
):
    bad = WORKER["id_number"][:17] + ("0" if WORKER["id_number"][17] != "0" else "1")
    data = form_data(application(parties=[{**WORKER, "id_number": bad}, EMPLOYER]))
    data["claims-1-amount"] = "九千"
    before = Case.objects.count()
    response = login(lixia_intake).post(reverse("cases:case-create"), data)
    assert response.status_code == 200
    assert Case.objects.count() == before
    page = response.content.decode()
    field = re.search(
        r'<div class="field has-error">\s*<label for="id_applicants-0-id_number"', page
    )
    assert field, "the ID number field is marked"
    assert 'id="id_applicants-0-id_number-error"' in page
    assert 'id="id_claims-1-amount-error"' in page  # every problem at once
    assert 'href="#id_applicants-0-id_number"' in page  # and listed at the top
    assert f'value="{bad}"' in page  # what was typed is kept
    assert f'value="{EMPLOYER["name"]}"' in page


@pytest.mark.django_db
def test_an_agent_error_lands_on_the_agents_row(login, lixia_intake):
    agent = {"name": "张律师", "kind": "lawyer", "authority": "special", "id_number": "123"}
    worker = {**WORKER, "agents": [agent]}
    response = login(lixia_intake).post(
        reverse("cases:case-create"), form_data(application(parties=[worker, EMPLOYER]))
    )
    assert response.status_code == 200
    assert 'id="id_agents-0-id_number-error"' in response.content.decode()


@pytest.mark.django_db
def test_agents_and_third_parties_are_recorded(login, lixia_intake):
    agent = {
        "name": "张律师",
        "kind": "lawyer",
        "authority": "special",
        "firm": "山东示例律师事务所",
        "power_of_attorney_received": True,
    }
    user_unit = {
        **EMPLOYER,
        "role": "third_party",
        "name": "济南用工单位有限公司",
        "credit_code": "",
    }
    user_unit["dispatch_role"] = "using"
    parties = [
        {**WORKER, "agents": [agent]},
        {**EMPLOYER, "dispatch_role": "dispatching"},
        user_unit,
    ]
    response = login(lixia_intake).post(
        reverse("cases:case-create"), form_data(application(parties=parties))
    )
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert case.parties.get(role="third_party").dispatch_role == "using"
    recorded = case.parties.get(role="applicant").agents.get()
    assert (recorded.name, recorded.authority, recorded.power_of_attorney_received) == (
        "张律师",
        "special",
        True,
    )


@pytest.mark.django_db
def test_adding_a_row_keeps_what_was_typed_and_writes_nothing(login, lixia_intake):
    data = form_data(application())
    data["add_row"] = "claims"
    before = Case.objects.count()
    response = login(lixia_intake).post(reverse("cases:case-create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="claims-TOTAL_FORMS" value="3"' in page
    assert 'id="claims-2"' in page
    assert WORKER["name"] in page
    assert "has-error" not in page
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_acceptance_without_acknowledging_the_warnings_is_refused(login, lixia_intake, lixia_head):
    employer = {**EMPLOYER, "domicile_division": "370202"}
    case = received(lixia_intake, workplace_division="370202", parties=[WORKER, employer])
    client = login(lixia_head)
    page = client.get(detail_url(case)).content.decode()
    assert 'name="warnings_acknowledged"' in page
    response = client.post(action_url(case, "accept"), {})
    assert response.status_code == 400
    assert 'id="id_warnings_acknowledged-error"' in response.content.decode()
    assert status_of(case) == Status.RECEIVED
    response = client.post(action_url(case, "accept"), ACTION_DATA["accept"])
    assert response.status_code == 302
    assert status_of(case) == Status.ACCEPTED


@pytest.mark.django_db
def test_an_oral_application_needs_the_applicants_confirmation(login, lixia_intake):
    case = draft(lixia_intake, channel=Channel.ORAL)
    client = login(lixia_intake)
    response = client.post(action_url(case, "submit"), {})
    assert response.status_code == 400
    assert 'id="id_applicant_confirmed-error"' in response.content.decode()
    assert status_of(case) == Status.DRAFT
    assert client.post(action_url(case, "submit"), {"applicant_confirmed": "on"}).status_code == 302
    assert status_of(case) == Status.RECEIVED


@pytest.mark.django_db
def test_a_received_application_is_not_edited_outside_corrections(login, lixia_intake):
    case = received(lixia_intake)
    response = login(lixia_intake).get(reverse("cases:case-edit", args=[case.pk]), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(case)
    assert messages_of(response)


@pytest.mark.django_db
def test_the_receipt_names_the_decision_date_and_its_basis(login, lixia_intake, lixia_clerk):
    with time_machine.travel("2026-09-30 09:00 +0800", tick=False):
        case = received(lixia_intake)
        receipt = case.receipts.get()
        page = (
            login(lixia_clerk)
            .get(reverse("cases:receipt-detail", args=[case.pk, receipt.pk]))
            .content.decode()
        )
    for text in (case.commission.name, receipt.number, WORKER["name"], "2026-10-13", "第二十九条"):
        assert text in page
    assert "2026-09-30 09:00:00" in page  # server time, in Beijing time
    assert str(lixia_intake) in page


@pytest.mark.django_db
def test_the_queue_marks_overdue_and_stopped_clocks(login, lixia_intake):
    with time_machine.travel("2026-09-01 10:00 +0800", tick=False):
        late = received(lixia_intake)
        stopped = services.case_issue_correction_notice(
            by=lixia_intake, case=received(lixia_intake), items=["补充证据"]
        )
    with time_machine.travel("2026-09-20 10:00 +0800", tick=False):
        fresh = received(lixia_intake)
        page = login(lixia_intake).get(reverse("cases:queue")).content.decode()
    rows = page.split("<tr")
    row = next(r for r in rows if detail_url(late) in r)
    assert 'class="is-overdue"' in row and 'class="badge overdue"' in row
    row = next(r for r in rows if detail_url(stopped) in r)
    assert 'class="badge stopped"' in row
    row = next(r for r in rows if detail_url(fresh) in r)
    assert "badge overdue" not in row
    assert page.index(detail_url(late)) < page.index(detail_url(fresh))


@pytest.mark.django_db
def test_the_menu_offers_intake_by_role(login, lixia_intake, lixia_arbitrator, lixia_admin):
    intake = login(lixia_intake).get(reverse("workspace:dashboard")).content.decode()
    assert reverse("cases:queue") in intake and reverse("cases:case-create") in intake
    arbitrator = login(lixia_arbitrator).get(reverse("workspace:dashboard")).content.decode()
    assert reverse("cases:queue") in arbitrator
    assert reverse("cases:case-create") not in arbitrator
    admin = login(lixia_admin).get(reverse("workspace:dashboard")).content.decode()
    assert reverse("cases:queue") not in admin


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_answers_in_a_bounded_number_of_queries(
    login, lixia_intake, django_assert_max_num_queries, count
):
    for _ in range(count):
        received(lixia_intake)
    client = login(lixia_intake)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:queue"))
    assert response.content.decode().count("/staff/cases/") >= min(count, 30)


@pytest.mark.django_db
@pytest.mark.parametrize("extra_workers", [0, 12])
def test_the_case_page_answers_in_a_bounded_number_of_queries(
    login, lixia_intake, lixia_head, django_assert_max_num_queries, extra_workers
):
    workers = [
        {**WORKER, "name": f"工人{i}", "id_number": id_number(f"37010219900512{i:03d}")}
        for i in range(extra_workers)
    ]
    claims = application()["claims"] * (1 + extra_workers // 4)
    case = accepted(lixia_intake, lixia_head, parties=[WORKER, *workers, EMPLOYER], claims=claims)
    client = login(lixia_head)
    client.get(detail_url(case))  # the law and case indexes load once per process
    # Seven stage panels follow the file (the entrusted mediation one: one query), and one
    # finds the employer the statistics classify; none runs a query per party, claim or row.
    with django_assert_max_num_queries(50):
        assert client.get(detail_url(case)).status_code == 200


def _as_posted(forms) -> dict[str, Any]:
    """What a browser posts for unbound forms: every field with its initial value."""
    data: dict[str, Any] = {}
    formsets = forms.formsets()
    for form in [forms.case, *(f for fs in formsets for f in fs.forms)]:
        for field in form:
            value = field.value()
            if field.widget_type == "checkbox":
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list):
                data[field.html_name] = value
            else:
                data[field.html_name] = "" if value is None else str(value)
    for formset in formsets:
        for field in formset.management_form:
            data[field.html_name] = field.value()
    return data


@pytest.mark.django_db
def test_saving_the_edit_page_unchanged_keeps_the_application_as_it_was(login, lixia_intake):
    from zhongcai.cases.checks import application_digest
    from zhongcai.cases.forms import division_choices
    from zhongcai.cases.views.counter_form import ApplicationForms, initial_from_case

    agent = {"name": "张律师", "kind": "lawyer", "authority": "special", "firm": "某律师事务所"}
    case = draft(lixia_intake, parties=[{**WORKER, "agents": [agent]}, EMPLOYER])
    before = application_digest(case)
    forms = ApplicationForms(
        divisions=division_choices("37"), with_channel=False, initial=initial_from_case(case)
    )
    response = login(lixia_intake).post(
        reverse("cases:case-edit", args=[case.pk]), _as_posted(forms)
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert application_digest(case) == before
    assert case.parties.get(role="applicant").agents.get().firm == "某律师事务所"


@pytest.mark.django_db
def test_a_collective_case_is_marked_priority(login, lixia_intake):
    case = draft(lixia_intake, collective=True)
    services.case_submit(by=lixia_intake, case=case, allow_incomplete=True)
    client = login(lixia_intake)
    queue = client.get(reverse("cases:queue")).content.decode()
    row = next(r for r in queue.split("<tr") if detail_url(case) in r)
    assert 'class="badge priority"' in row
    assert 'class="badge priority"' in client.get(detail_url(case)).content.decode()


@pytest.mark.django_db
def test_a_collective_case_shows_two_names_and_how_many_more(login, lixia_intake):
    from zhongcai.demo.cases import load_demo_cases

    load_demo_cases()
    page = login(lixia_intake).get("/staff/cases/").content.decode()
    assert "张伟" in page and "王芳" in page
    assert "李娜" not in page  # the third of twelve workers
    assert "及另外 10 人" in page
