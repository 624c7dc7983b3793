"""An applicant reads the steps of their case, not the officers' internal findings."""

import pytest

from zhongcai.cases import services
from zhongcai.cases.tests.factories import accepted, draft


@pytest.mark.django_db
def test_the_applicant_does_not_see_warnings_naming_other_cases(
    api, worker_demo, lixia_intake, lixia_head
):
    accepted(lixia_intake, lixia_head)  # an earlier case with the same parties
    case = services.case_submit(by=worker_demo, case=draft(worker_demo))
    case = services.case_accept(by=lixia_head, case=case, warnings_acknowledged=True)

    staff_view = api(lixia_head).get(f"/api/v1/cases/{case.pk}/events/").json()
    accepted_event = next(e for e in staff_view if e["kind"] == "case.accepted")
    assert accepted_event["payload"]["warnings"]  # the duplicate warning, for staff

    public_view = api(worker_demo).get(f"/api/v1/cases/{case.pk}/events/").json()
    accepted_event = next(e for e in public_view if e["kind"] == "case.accepted")
    assert "warnings" not in accepted_event["payload"]
    assert accepted_event["payload"]["case_number"] == case.case_number
    assert all("digest" not in e["payload"] for e in public_view)
