"""An employer applies for mediation against a worker: at the counter and online."""

import pytest
from django.core.exceptions import ValidationError

from zhongcai.cases.tests.factories import EMPLOYER, WORKER, application
from zhongcai.mediation import services
from zhongcai.mediation.models import Channel, MediationCase
from zhongcai.mediation.parties import party_for
from zhongcai.mediation.tests.test_apply_walk_in import URL, _form, _party, _rows

pytestmark = pytest.mark.django_db

EMPLOYER_ROW = _party(
    EMPLOYER,
    ("kind", "name", "credit_code", "domicile", "domicile_division", "phone",
     "legal_representative", "legal_representative_title"),
)  # fmt: skip
WORKER_ROW = _party(WORKER, ("kind", "name", "id_number", "domicile", "phone", "occupation"))


def _reversed(**changes):
    data = _form(**_rows("applicants", EMPLOYER_ROW), **_rows("respondents", WORKER_ROW))
    data.update(changes)
    return data


def test_a_walk_in_employer_against_a_worker_is_recorded(login, lixia_mediator, centre):
    client = login(lixia_mediator)
    response = client.post(URL, _reversed())
    assert response.status_code == 302, response.context and response.context["errors"]
    case = MediationCase.objects.get()
    assert [(p.role, p.kind, p.name) for p in case.parties.order_by("pk")] == [
        ("applicant", "employer", EMPLOYER["name"]),
        ("respondent", "worker", WORKER["name"]),
    ]


def test_a_walk_in_worker_respondent_with_a_bad_id_is_shown_on_its_field_in_chinese(
    login, lixia_mediator, centre
):
    client = login(lixia_mediator)
    response = client.post(URL, _reversed(**{"respondents-0-id_number": "370102199005120000"}))
    assert response.status_code == 400
    [error] = response.context["errors"]
    assert error.anchor == "id_respondents-0-id_number"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error.message))  # said in Chinese
    assert not MediationCase.objects.exists()


def test_a_walk_in_worker_respondent_without_a_name_is_refused_on_its_field(
    login, lixia_mediator, centre
):
    client = login(lixia_mediator)
    response = client.post(URL, _reversed(**{"respondents-0-name": ""}))
    assert response.status_code == 400
    assert "id_respondents-0-name" in [e.anchor for e in response.context["errors"]]
    assert not MediationCase.objects.exists()


def test_an_employer_applies_online_against_a_worker(employer_user, centre):
    parties = [{**EMPLOYER, "role": "applicant"}, {**WORKER, "role": "respondent"}]
    data = application(parties=parties)
    case = services.mediation_apply(
        by=employer_user, organisation=centre, data=data, channel=Channel.ONLINE
    )
    assert case.owner == employer_user
    assert party_for(employer_user, case).role == "applicant"
    assert case.parties.get(role="respondent").kind == "worker"


def test_online_a_worker_respondent_with_a_bad_id_is_refused_by_field(employer_user, centre):
    bad_worker = {**WORKER, "role": "respondent", "id_number": "370102199005120000"}
    data = application(parties=[{**EMPLOYER, "role": "applicant"}, bad_worker])
    with pytest.raises(ValidationError) as caught:
        services.mediation_apply(
            by=employer_user, organisation=centre, data=data, channel=Channel.ONLINE
        )
    assert "parties.1.id_number" in caught.value.message_dict
    assert not MediationCase.objects.exists()
