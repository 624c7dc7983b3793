"""The API's acceptance records the employer's industry and registration type, as the page does
(cases/tests/test_accept_employer_class.py)."""

import pytest

from zhongcai.cases import services
from zhongcai.cases.models import Case, Status
from zhongcai.cases.tests.factories import received

pytestmark = pytest.mark.django_db


def _employer(case):
    return services.statistical_employer(Case.objects.get(pk=case.pk))


def test_the_api_records_them_and_refuses_a_bad_one(api, lixia_intake, lixia_head):
    case = received(lixia_intake)
    url = f"/api/v1/cases/{case.pk}/accept/"
    bad = api(lixia_head).post(
        url, {"warnings_acknowledged": True, "employer_industry": "Z"}, format="json"
    )
    assert bad.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED
    good = api(lixia_head).post(
        url, {"warnings_acknowledged": True, "employer_industry": "F"}, format="json"
    )
    assert good.status_code == 200
    assert _employer(case).industry == "F"
