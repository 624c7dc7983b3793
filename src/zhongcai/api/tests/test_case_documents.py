"""GET /api/v1/cases/{id}/documents/: what the case issued; a party sees the main volume only."""

from django.urls import reverse

from zhongcai.cases import closing, services
from zhongcai.cases.models import Channel, Volume
from zhongcai.cases.tests import factories


def _suspended_online_case(worker, head):
    draft = services.case_create(
        by=worker,
        commission=factories.commission(),
        channel=Channel.ONLINE,
        data=factories.application(),
    )
    case = services.case_accept(
        by=head, case=services.case_submit(by=worker, case=draft), warnings_acknowledged=True
    )
    closing.case_suspend(by=head, case=case, reason="awaiting_appraisal", note="等待工伤认定")
    return case


def test_staff_see_both_volumes_and_the_party_only_the_main_one(
    api, institutions, worker_demo, lixia_head
):
    case = _suspended_online_case(worker_demo, lixia_head)
    url = reverse("api:case-documents", args=[case.pk])
    staff = api(lixia_head).get(url).json()
    party = api(worker_demo).get(url).json()
    assert {d["volume"] for d in staff} == {Volume.MAIN, Volume.SECONDARY}
    assert party and {d["volume"] for d in party} == {Volume.MAIN}
    assert {d["id"] for d in party} < {d["id"] for d in staff}


def test_another_county_gets_404(api, institutions, worker_demo, lixia_head, licheng_intake):
    case = _suspended_online_case(worker_demo, lixia_head)
    url = reverse("api:case-documents", args=[case.pk])
    assert api(licheng_intake).get(url).status_code == 404
