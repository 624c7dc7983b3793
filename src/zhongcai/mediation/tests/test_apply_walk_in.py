"""A mediator records a walk-in application at the counter."""

import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhongcai.cases.tests.factories import EMPLOYER, WORKER, application
from zhongcai.mediation import services
from zhongcai.mediation.models import Channel, MediationCase, Status

pytestmark = pytest.mark.django_db
URL = "/staff/mediation/new/"


def _rows(prefix, *rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "500",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def _party(source, keys):
    return {key: source[key] for key in keys if key in source}


def _form(**changes):
    worker = _party(WORKER, ("kind", "name", "id_number", "domicile", "phone", "occupation"))
    employer = _party(
        EMPLOYER,
        ("kind", "name", "credit_code", "domicile", "domicile_division", "phone",
         "legal_representative", "legal_representative_title"),
    )  # fmt: skip
    data = {
        "category": "labor",
        "causes": ["remuneration"],
        "facts_and_reasons": "公司拖欠三个月工资。",
        "workplace_division": "370102",
        **_rows("applicants", worker),
        **_rows("respondents", employer),
        **_rows("claims", {"type": "remuneration", "amount": "12000", "description": "工资"}),
    }
    data.update(changes)
    return data


def test_the_url_is_named():
    assert reverse("mediation:apply-walk-in") == URL


def test_the_organisations_mediator_records_a_walk_in(login, lixia_mediator, centre):
    client = login(lixia_mediator)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _form())
    case = MediationCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mediation:apply-walk-in-done", args=[case.pk])
    assert (case.organisation, case.channel, case.status) == (
        centre,
        Channel.WALK_IN,
        Status.APPLIED,
    )
    assert case.owner is None and case.created_by == lixia_mediator
    assert [p.name for p in case.parties.order_by("pk")] == [WORKER["name"], EMPLOYER["name"]]
    assert [(c.type, str(c.amount)) for c in case.claims.all()] == [("remuneration", "12000.00")]
    assert client.get(response["Location"]).status_code == 200


def test_problems_are_shown_on_their_fields_and_nothing_is_written(login, lixia_mediator):
    client = login(lixia_mediator)
    bad = _form(**{"applicants-0-id_number": "370102199005120000"})
    bad.update(_rows("respondents"))  # no other side
    response = client.post(URL, bad)
    assert response.status_code == 400
    [error] = response.context["errors"]
    assert error.anchor == "id_applicants-0-id_number"
    assert 'aria-invalid="true"' in response.content.decode()
    # Once the ID number is right, the missing other side is said (services._clean).
    response = client.post(URL, {**bad, "applicants-0-id_number": WORKER["id_number"]})
    assert response.status_code == 400 and response.context["errors"]
    assert not MediationCase.objects.exists()


def test_adding_a_row_keeps_what_was_typed(login, lixia_mediator):
    client = login(lixia_mediator)
    response = client.post(URL, {**_form(), "add_row": "claims"})
    assert response.status_code == 200
    assert len(response.context["forms"].claims.forms) == 2
    assert not MediationCase.objects.exists()


def test_another_organisations_mediator_records_only_for_its_own(
    login, licheng_mediator, centre, worker_demo
):
    client = login(licheng_mediator)
    client.post(URL, _form())
    assert MediationCase.objects.get().organisation == licheng_mediator.organisation
    assert not MediationCase.objects.filter(organisation=centre).exists()
    with pytest.raises(PermissionDenied):
        services.mediation_apply(
            by=licheng_mediator, organisation=centre, data=application(), channel=Channel.WALK_IN
        )


@pytest.mark.parametrize("who", ["worker_demo", "lixia_intake", "lixia_admin"])
def test_others_may_not_record_walk_ins(login, request, who):
    client = login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403
    assert not MediationCase.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, province):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_submitting_the_same_form_twice_records_one_case(login, lixia_mediator, centre):
    client = login(lixia_mediator)
    page = client.get(URL).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page).group(1)
    first = client.post(URL, _form(submission_key=key))
    second = client.post(URL, _form(submission_key=key))  # a double click
    assert first["Location"] == second["Location"]
    assert MediationCase.objects.count() == 1
    other = client.post(URL, _form(submission_key=str(uuid.uuid4())))  # a new form
    assert other.status_code == 302 and MediationCase.objects.count() == 2
