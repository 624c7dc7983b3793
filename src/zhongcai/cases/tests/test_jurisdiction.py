"""An objection to jurisdiction rejected in writing (办案规则 art. 10): the 决定书 is issued and
listed to be served on every party; the wrong person, state or input changes nothing."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from zhongcai.cases import closing, jurisdiction, serving_due
from zhongcai.cases.models import CaseDocument, DecisionKind, DocumentKind, Party
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.events import events_of

from . import factories

pytestmark = pytest.mark.django_db


def respondent(case) -> Party:
    return case.parties.get(role=Party.Role.RESPONDENT)


def decisions(case):
    return CaseDocument.objects.filter(
        case=case, kind=DocumentKind.DECISION, decision_kind=DecisionKind.JURISDICTION
    )


def test_the_head_rejects_an_objection_with_a_decision_served_on_every_party(
    lixia_intake, lixia_head
):
    case = factories.accepted(lixia_intake, lixia_head)
    today = timezone.localdate()
    decision = jurisdiction.jurisdiction_objection_reject(
        by=lixia_head,
        case=case,
        party=respondent(case),
        objected_on=today,
        reasons="劳动合同履行地在本委辖区，本委依法享有管辖权",
    )
    assert decision.decision_kind == DecisionKind.JURISDICTION
    content = json.dumps(decision.rendition.content, ensure_ascii=False)
    assert "管辖异议" in content and respondent(case).name in content
    assert "劳动合同履行地在本委辖区" in content and case.case_number in content
    event = events_of(case).last()
    assert event.kind == "case.jurisdiction_objection_rejected"
    assert event.payload["document"] == decision.pk
    to_serve = {(d.pk, p.role) for d, p in serving_due.documents_to_serve(case)}
    assert {(decision.pk, Party.Role.APPLICANT), (decision.pk, Party.Role.RESPONDENT)} <= to_serve


def test_only_the_head_decides(lixia_intake, lixia_head, lixia_clerk):
    case = factories.accepted(lixia_intake, lixia_head)
    with pytest.raises(PermissionDenied):
        jurisdiction.jurisdiction_objection_reject(
            by=lixia_clerk,
            case=case,
            party=respondent(case),
            objected_on=timezone.localdate(),
            reasons="有管辖权",
        )
    assert not decisions(case).exists()


def test_bad_input_is_refused_all_at_once(lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    other = factories.accepted(lixia_intake, lixia_head)
    with pytest.raises(ValidationError) as exc:
        jurisdiction.jurisdiction_objection_reject(
            by=lixia_head,
            case=case,
            party=respondent(other),
            objected_on=timezone.localdate() + timedelta(days=1),
            reasons="  ",
        )
    assert set(exc.value.message_dict) == {"party", "objected_on", "reasons"}
    assert not decisions(case).exists()


def test_a_closed_case_takes_no_decision(lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    closing.case_withdraw(by=lixia_head, case=case)
    case.refresh_from_db()
    with pytest.raises(TransitionError):
        jurisdiction.jurisdiction_objection_reject(
            by=lixia_head,
            case=case,
            party=respondent(case),
            objected_on=timezone.localdate(),
            reasons="有管辖权",
        )
    assert not decisions(case).exists()


def test_the_page_and_the_api(login, client, lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    page = login(lixia_head)
    url = reverse("cases:case-decide-jurisdiction", args=[case.pk])
    response = page.post(url, {"party": respondent(case).pk, "objected_on": "", "reasons": ""})
    assert response.status_code == 400
    response = page.post(
        url,
        {
            "party": respondent(case).pk,
            "objected_on": timezone.localdate().isoformat(),
            "reasons": "本委有管辖权",
        },
    )
    assert response.status_code == 302
    assert decisions(case).count() == 1
    client.force_login(lixia_intake)
    body = {
        "party": respondent(case).pk,
        "objected_on": timezone.localdate().isoformat(),
        "reasons": "本委有管辖权",
    }
    api_url = f"/api/v1/cases/{case.pk}/decide-jurisdiction/"
    assert client.post(api_url, body, content_type="application/json").status_code == 403
    client.force_login(lixia_head)
    response = client.post(api_url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert decisions(case).count() == 2
