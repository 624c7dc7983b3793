"""Listing, opening, creating and editing applications through the API."""

import pytest
import time_machine

from zhongcai.cases.deadlines import explain
from zhongcai.cases.models import Case, Status
from zhongcai.cases.tests.factories import (
    EMPLOYER,
    WORKER,
    accepted,
    application,
    commission,
    draft,
    received,
)

CASES = "/api/v1/cases/"


def _create(client, **body):
    return client.post(CASES, body, format="json")


# --- The list. ---


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 40])
def test_the_list_answers_in_a_bounded_number_of_queries(
    api, lixia_intake, django_assert_max_num_queries, count
):
    for i in range(count):
        (received if i % 2 else draft)(lixia_intake)
    client = api(lixia_intake)
    # Token and user, the user's organisation, count, page, the page's parties.
    with django_assert_max_num_queries(5):
        response = client.get(CASES, {"page_size": 100})
    assert response.json()["count"] == count
    assert all(row["applicants"] == ["王秀英"] for row in response.json()["results"])


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 40])
def test_a_public_users_list_is_bounded_too(api, worker_demo, django_assert_max_num_queries, count):
    for _ in range(count):
        draft(worker_demo)
    client = api(worker_demo)
    with django_assert_max_num_queries(4):
        response = client.get(CASES, {"page_size": 100})
    assert response.json()["count"] == count


@pytest.mark.django_db
def test_the_list_is_paginated(api, lixia_intake):
    for _ in range(3):
        draft(lixia_intake)
    page = api(lixia_intake).get(CASES, {"page_size": 2}).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"].endswith("page=2&page_size=2")


@pytest.mark.django_db
def test_the_list_filters_by_status_deadline_commission_and_text(
    api, lixia_intake, lixia_head, province_admin, licheng_intake
):
    with time_machine.travel("2026-09-30 09:00 +0800", tick=False):
        early = received(lixia_intake)  # decide by 2026-10-13
    with time_machine.travel("2026-10-12 09:00 +0800", tick=False):
        late = received(lixia_intake)  # decide by 2026-10-19
        done = accepted(lixia_intake, lixia_head)
    elsewhere = draft(
        licheng_intake, code="370112", parties=[WORKER, {**EMPLOYER, "name": "历城机械厂"}]
    )
    client = api(province_admin)

    def ids(**params):
        response = client.get(CASES, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {early.pk, late.pk, done.pk, elsewhere.pk}
    assert ids(status="received") == {early.pk, late.pk}
    assert ids(status="received", next_deadline_before="2026-10-14") == {early.pk}
    assert ids(commission=commission("370112").pk) == {elsewhere.pk}
    assert ids(q="机械") == {elsewhere.pk}
    assert ids(q="〔2026〕第1号") == {done.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"next_deadline_before": "2026-13-01"}, "next_deadline_before"),
        ({"commission": "lixia"}, "commission"),
    ],
)
def test_bad_filters_are_400(api, lixia_intake, params, field):
    response = api(lixia_intake).get(CASES, params)
    assert response.status_code == 400
    assert set(response.json()) == {field}


# --- Creating. ---


@pytest.mark.django_db
def test_a_public_user_applies_online_to_any_commission(api, worker_demo):
    response = _create(
        api(worker_demo), commission=commission("370202").pk, channel="online", **application()
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.status, case.channel, case.owner) == (Status.DRAFT, "online", worker_demo)


@pytest.mark.django_db
def test_the_public_cannot_record_a_counter_application(api, worker_demo):
    response = _create(api(worker_demo), commission=commission().pk, channel="counter")
    assert response.status_code == 403


@pytest.mark.django_db
def test_staff_record_only_for_their_own_commission(api, lixia_intake):
    client = api(lixia_intake)
    own = _create(client, commission=commission().pk, channel="counter", **application())
    assert own.status_code == 201
    other = _create(client, commission=commission("370112").pk, channel="counter", **application())
    assert other.status_code == 403
    online = _create(client, commission=commission().pk, channel="online", **application())
    assert online.status_code == 400
    assert set(online.json()) == {"channel"}


@pytest.mark.django_db
def test_roles_without_intake_cannot_record(api, lixia_clerk, jinan_admin):
    for user in (lixia_clerk, jinan_admin):
        response = _create(api(user), commission=commission().pk, channel="counter")
        assert response.status_code == 403


@pytest.mark.django_db
def test_bad_input_lists_every_error_and_writes_nothing(api, lixia_intake):
    before = Case.objects.count()
    response = _create(
        api(lixia_intake),
        commission=commission().pk,
        channel="counter",
        **application(
            causes=["remuneration", "alien_abduction"],
            parties=[
                {**WORKER, "id_number": WORKER["id_number"][:17] + "0"},
                {**EMPLOYER, "credit_code": EMPLOYER["credit_code"][:17] + "0"},
            ],
            claims=[{"type": "remuneration", "description": "工资", "amount": "-5"}],
        ),
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {
        "causes",
        "parties.0.id_number",
        "parties.1.credit_code",
        "claims.0.amount",
    }
    assert "alien_abduction" in errors["causes"][0]
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_unknown_codes_are_the_services_to_refuse_with_the_rest(api, lixia_intake):
    response = _create(
        api(lixia_intake),
        commission=commission().pk,
        channel="counter",
        **application(category="maritime", parties=[{**WORKER, "kind": "robot"}]),
    )
    assert response.status_code == 400
    assert set(response.json()) == {"category", "parties.0.kind"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"parties": "王秀英"}, "parties"),
        ({"parties": ["王秀英"]}, "parties.0"),
        ({"parties": [{**WORKER, "agents": 5}]}, "parties.0.agents"),
        ({"causes": "remuneration"}, "causes"),
        ({"collective": "perhaps"}, "collective"),
        ({"claims": [{"type": "remuneration", "amount": True}]}, "claims.0.amount"),
        ({"facts_and_reasons": {"text": "x"}}, "facts_and_reasons"),
    ],
)
def test_wrong_json_types_are_400_not_500(api, lixia_intake, changes, where):
    body = {"commission": commission().pk, "channel": "counter", **application(), **changes}
    response = api(lixia_intake).post(CASES, body, format="json")
    assert response.status_code == 400, response.json()
    assert where in response.json()


@pytest.mark.django_db
def test_a_number_where_text_is_expected_is_read_as_its_digits(api, lixia_intake):
    worker = {**WORKER, "id_number": int(WORKER["id_number"])}
    body = {"commission": commission().pk, "channel": "counter", **application(parties=[worker])}
    response = api(lixia_intake).post(CASES, body, format="json")
    assert response.status_code == 201
    assert response.json()["parties"][0]["id_number"] == WORKER["id_number"]


@pytest.mark.django_db
def test_malformed_json_is_400(api, lixia_intake):
    response = api(lixia_intake).post(CASES, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("错误的请求")


@pytest.mark.django_db
def test_a_form_encoded_body_is_refused_as_unsupported(api, lixia_intake):
    response = api(lixia_intake).post(CASES, {"commission": 1, "channel": "counter"})
    assert response.status_code == 415
    assert "不支持" in response.json()["detail"]


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_400(api, lixia_intake):
    response = api(lixia_intake).post(CASES, [1, 2], format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"non_field_errors"}


@pytest.mark.django_db
def test_the_commission_and_channel_are_required(api, lixia_intake):
    response = api(lixia_intake).post(CASES, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"commission": ["该字段是必填项。"], "channel": ["该字段是必填项。"]}


# --- Reading and editing one case. ---


@pytest.mark.django_db
def test_the_detail_explains_each_deadline(api, lixia_intake):
    with time_machine.travel("2026-09-30 09:00 +0800", tick=False):
        case = received(lixia_intake)
        body = api(lixia_intake).get(f"{CASES}{case.pk}/").json()
    (clock,) = body["deadlines"]
    assert clock["due_on"] == "2026-10-13"
    assert clock["explanation"] == explain(case.deadlines.get()).explain("zh-hans")
    assert "国庆节" in clock["explanation"]
    assert clock["explanation"].endswith("2026-10-13")


@pytest.mark.django_db
def test_staff_see_warnings_and_missing_items_the_applicant_does_not(
    api, worker_demo, lixia_intake
):
    case = draft(worker_demo, facts_and_reasons="")
    mine = api(worker_demo).get(f"{CASES}{case.pk}/").json()
    assert mine["warnings"] is None
    assert mine["missing_items"] is None
    theirs = api(lixia_intake).get(f"{CASES}{case.pk}/").json()
    assert theirs["missing_items"] == ["缺少事实和理由"]
    assert theirs["warnings"] == []


def _without_ids(parties):
    # Parties are written anew on every edit (services._write_content); their ids change.
    return [{**party, "id": None} for party in parties]


@pytest.mark.django_db
def test_what_is_read_can_be_put_back_unchanged(api, lixia_intake):
    case = draft(lixia_intake)
    client = api(lixia_intake)
    before = client.get(f"{CASES}{case.pk}/").json()
    content = {key: before[key] for key in application()}
    response = client.put(f"{CASES}{case.pk}/application/", content, format="json")
    assert response.status_code == 200
    after = response.json()
    assert _without_ids(after["parties"]) == _without_ids(before["parties"])
    for key in ("claims", "causes", "facts_and_reasons", "workplace_division", "public_hearing"):
        assert after[key] == before[key]


@pytest.mark.django_db
def test_put_replaces_the_whole_content(api, lixia_intake):
    case = draft(lixia_intake)
    response = api(lixia_intake).put(
        f"{CASES}{case.pk}/application/", {"facts_and_reasons": "只写事实"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["parties"] == []
    assert response.json()["claims"] == []


@pytest.mark.django_db
def test_an_edit_with_bad_input_changes_nothing(api, lixia_intake):
    case = draft(lixia_intake)
    response = api(lixia_intake).patch(
        f"{CASES}{case.pk}/application/", {"causes": ["alien_abduction"]}, format="json"
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.causes == ["remuneration", "economic_compensation"]


@pytest.mark.django_db
def test_an_online_draft_is_the_applicants_alone(api, worker_demo, lixia_intake, jinan_admin):
    case = draft(worker_demo)
    url = f"{CASES}{case.pk}/application/"
    assert api(jinan_admin).patch(url, {"evidence_summary": "补充"}, "json").status_code == 403
    assert api(lixia_intake).patch(url, {"evidence_summary": "补充"}, "json").status_code == 403
    assert api(lixia_intake).post(f"{CASES}{case.pk}/submit/", {}, "json").status_code == 403
    assert api(worker_demo).patch(url, {"evidence_summary": "补充"}, "json").status_code == 200


@pytest.mark.django_db
def test_the_events_come_with_their_chain(api, lixia_intake, lixia_head):
    case = accepted(lixia_intake, lixia_head)
    events = api(lixia_intake).get(f"{CASES}{case.pk}/events/").json()
    assert [e["kind"] for e in events] == ["case.drafted", "case.received", "case.accepted"]
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert events[0]["prev_hash"] == ""
    assert events[1]["prev_hash"] == events[0]["hash"]
    assert events[2]["actor"] == "王建国"
    assert events[2]["payload"]["case_number"] == case.case_number
