"""Who acts for which party on the portal, and which cases a public user sees (issue 6)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongcai.accounts.models import Employer, EmployerMember, Role, User
from zhongcai.cases import evidence, representation, services, serving
from zhongcai.cases.models import AgentAuthorisation, Case, DocumentKind, Party, ServiceMethod
from zhongcai.cases.selectors import cases_visible_to
from zhongcai.cases.workflow import may_act
from zhongcai.core.events import events_of

from .factories import EMPLOYER, WORKER, accepted, draft, id_number, received

pytestmark = pytest.mark.django_db


def _public(username, role=Role.WORKER, body="37010219800101001"):
    return User.objects.create_user(
        username=username,
        password="x",
        role=role,
        mobile=f"139{abs(hash(username)) % 10**8:08d}",
        id_number=id_number(body),
        real_name=username,
    )


def _staff_of_employer(user, credit_code=EMPLOYER["credit_code"]):
    employer, _ = Employer.objects.get_or_create(
        credit_code=credit_code,
        defaults={
            "name": EMPLOYER["name"],
            "registered_by": user,
            "registered_at": timezone.now(),
            "verified_at": timezone.now(),
        },
    )
    EmployerMember.objects.create(
        employer=employer, user=user, is_admin=True, added_by=user, added_at=timezone.now()
    )


def _pdf(name="工资条.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% evidence\n", content_type="application/pdf")


def _respondent(case):
    return case.parties.get(role=Party.Role.RESPONDENT)


def _applicant(case):
    return case.parties.get(role=Party.Role.APPLICANT)


def test_the_online_applicant_is_linked_to_its_party(worker_demo, province):
    case = draft(worker_demo)
    assert _applicant(case).user == worker_demo
    assert _respondent(case).user is None
    # Rewriting the draft keeps the link.
    services.case_update_application(
        by=worker_demo, case=case, data={**_data(), "facts_and_reasons": "改过的事实"}
    )
    assert _applicant(case).user == worker_demo


def _data():
    from .factories import application

    return application()


def test_a_draft_is_its_owners_alone(worker_demo, province):
    case = draft(worker_demo)
    employer_staff = _public("hr", Role.EMPLOYER, "37010219800101002")
    _staff_of_employer(employer_staff)
    assert list(cases_visible_to(worker_demo)) == [case]
    assert not cases_visible_to(employer_staff).exists()
    assert representation.parties_represented_by(employer_staff, case) == []


def test_the_employer_sees_the_case_only_once_accepted(
    province, lixia_intake, lixia_head, worker_demo
):
    hr = _public("hr", Role.EMPLOYER, "37010219800101002")
    _staff_of_employer(hr)
    waiting = received(lixia_intake)
    assert not cases_visible_to(hr).filter(pk=waiting.pk).exists()
    case = accepted(lixia_intake, lixia_head)
    assert cases_visible_to(hr).filter(pk=case.pk).exists()
    assert representation.parties_represented_by(hr, case) == [_respondent(case)]
    # Another worker sees neither.
    stranger = _public("stranger")
    assert not cases_visible_to(stranger).exists()
    # A member removed from the employer no longer sees it.
    EmployerMember.objects.filter(user=hr).update(removed_at=timezone.now())
    assert not cases_visible_to(hr).exists()


def test_an_authorised_agent_sees_the_case_from_acceptance_until_revoked(
    province, lixia_intake, lixia_head
):
    case = accepted(lixia_intake, lixia_head)
    lawyer = _public("lawyer", Role.AGENT, "37010219800101003")
    assert not cases_visible_to(lawyer).exists()
    grant = AgentAuthorisation.objects.create(
        case=case,
        party=_applicant(case),
        agent_user=lawyer,
        authority="special",
        granted_by=lixia_intake,
        granted_at=timezone.now(),
    )
    # Invited, not yet accepted (or declined): nothing opens.
    assert not cases_visible_to(lawyer).exists()
    assert not representation.has_special_authority(
        lawyer, Party.objects.get(pk=_applicant(case).pk)
    )
    grant.declined_at = timezone.now()
    grant.save()
    assert not cases_visible_to(lawyer).exists()
    grant.declined_at, grant.accepted_at = None, timezone.now()
    grant.save()
    assert list(cases_visible_to(lawyer)) == [case]
    assert representation.parties_represented_by(lawyer, case) == [_applicant(case)]
    grant.revoked_at = timezone.now()
    grant.save()
    assert not cases_visible_to(lawyer).exists()


def test_a_party_files_its_own_defence_and_no_one_elses(
    province, institutions, lixia_intake, lixia_head, worker_demo
):
    hr = _public("hr", Role.EMPLOYER, "37010219800101002")
    _staff_of_employer(hr)
    case = accepted(lixia_intake, lixia_head)
    case.parties.filter(role=Party.Role.APPLICANT).update(user=worker_demo)
    # The worker acts for the applicant: it may not file the employer's defence.
    with pytest.raises(PermissionDenied):
        evidence.defence_file(by=worker_demo, case=case, party=_respondent(case), text="答辩")
    defence = evidence.defence_file(by=hr, case=case, party=_respondent(case), text="不同意。")
    assert defence.recorded_by == hr
    assert events_of(case).filter(kind="case.defence_filed", actor=hr).exists()
    # A stranger may take no party step at all.
    stranger = _public("stranger")
    assert not may_act(stranger, case, "file_defence")
    with pytest.raises(PermissionDenied):
        evidence.evidence_submit(
            by=stranger, case=case, party=_applicant(case), title="x", file=_pdf()
        )
    # The worker adds its own evidence.
    item = evidence.evidence_submit(
        by=worker_demo, case=case, party=_applicant(case), title="工资条", file=_pdf()
    )
    assert item.party == _applicant(case)
    # Staff-only steps stay staff-only.
    assert not may_act(worker_demo, case, "serve")
    assert not may_act(hr, case, "set_evidence_period")


def test_a_party_signs_online_only_for_what_was_served_on_it_online(
    province, institutions, lixia_intake, lixia_head, lixia_clerk, worker_demo
):
    hr = _public("hr", Role.EMPLOYER, "37010219800101002")
    _staff_of_employer(hr)
    case = accepted(lixia_intake, lixia_head)
    case.parties.filter(role=Party.Role.APPLICANT).update(user=worker_demo)
    applicant, respondent = _applicant(case), _respondent(case)
    serving.service_address_confirm(
        by=worker_demo, case=case, party=applicant, electronic_consent=True, mobile=WORKER["phone"]
    )
    with pytest.raises(PermissionDenied):
        serving.service_address_confirm(
            by=worker_demo,
            case=case,
            party=respondent,
            electronic_consent=True,
            mobile="13800000009",
        )
    notice = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    [record] = serving.serve(
        by=lixia_clerk,
        case=case,
        document=notice,
        parties=[applicant],
        method=ServiceMethod.ELECTRONIC,
    )
    with pytest.raises(PermissionDenied):
        serving.service_record_delivery(by=hr, case=case, record=record, signed_by_name="李")
    with pytest.raises(PermissionDenied):
        serving.service_record_delivery(by=worker_demo, case=case, record=record, refused=True)
    serving.service_record_delivery(by=worker_demo, case=case, record=record)
    record.refresh_from_db()
    assert record.signed_at is not None
    assert record.signed_by_name == str(worker_demo)  # its own name, whatever was sent
    with pytest.raises(ValidationError):
        serving.service_record_delivery(by=worker_demo, case=case, record=record)


def test_evidence_handed_in_with_the_application_stays_with_its_party(worker_demo, province):
    case = draft(worker_demo)
    item = evidence.application_evidence_add(
        by=worker_demo, case=case, title="劳动合同", file=_pdf("合同.pdf")
    )
    assert item.party == _applicant(case) and item.number == 1
    services.case_update_application(
        by=worker_demo, case=case, data={**_data(), "facts_and_reasons": "补充事实"}
    )
    item.refresh_from_db()
    assert item.party == _applicant(case)
    # Another worker may not add to it; after submission the applicant may not either.
    stranger = _public("stranger")
    with pytest.raises((PermissionDenied, Case.DoesNotExist)):
        evidence.application_evidence_add(by=stranger, case=case, title="x", file=_pdf())
    case = services.case_submit(by=worker_demo, case=case)
    from zhongcai.cases.workflow import TransitionError

    with pytest.raises(TransitionError):
        evidence.application_evidence_add(by=worker_demo, case=case, title="x", file=_pdf())
    assert case.evidence.count() == 1


def test_the_online_applicant_confirms_its_address_with_the_application_and_is_served_at_once(
    province, institutions, worker_demo, lixia_head
):
    case = received(worker_demo)
    serving.service_address_confirm(
        by=worker_demo,
        case=case,
        party=_applicant(case),
        electronic_consent=True,
        mobile=worker_demo.mobile,
    )
    case = services.case_accept(by=lixia_head, case=case, warnings_acknowledged=True)
    notice = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    record = notice.services.get(party=_applicant(case))
    assert record.method == ServiceMethod.ELECTRONIC
    assert worker_demo.notifications.exists()


def test_a_correction_keeps_what_hangs_on_the_parties(
    province, institutions, worker_demo, lixia_intake
):
    """The correction notice is served online on the applicant; the corrected application is
    saved over it without losing the applicant's address, service records or evidence."""
    case = draft(worker_demo)
    evidence.application_evidence_add(by=worker_demo, case=case, title="合同", file=_pdf())
    case = services.case_submit(by=worker_demo, case=case)
    applicant = _applicant(case)
    serving.service_address_confirm(
        by=worker_demo, case=case, party=applicant, electronic_consent=True, mobile=WORKER["phone"]
    )
    case = services.case_issue_correction_notice(
        by=lixia_intake, case=case, items=["请补充劳动合同"]
    )
    assert applicant.services.filter(method=ServiceMethod.ELECTRONIC).exists()
    data = _data()
    data["facts_and_reasons"] = "补正后的事实与理由。"
    data["parties"][1] = {**EMPLOYER, "legal_representative": "钱多多"}
    services.case_update_application(by=worker_demo, case=case, data=data)
    after = _applicant(case)
    assert after.pk == applicant.pk and after.user == worker_demo
    assert after.service_addresses.filter(superseded_at__isnull=True).exists()
    assert after.services.exists() and after.evidence.count() == 1
    assert _respondent(case).legal_representative == "钱多多"
    # A party already served cannot be dropped from the application.
    data["parties"] = [data["parties"][1]]
    with pytest.raises(ValidationError):
        services.case_update_application(by=worker_demo, case=case, data=data)
    assert _applicant(case).pk == applicant.pk
    services.case_submit_corrections(by=worker_demo, case=case)


def test_only_the_party_or_a_special_agent_signs_for_a_mediation_document(
    province, institutions, lixia_intake, lixia_head, lixia_clerk, worker_demo
):
    from django.db import transaction

    from zhongcai.cases.documents import document_issue

    case = accepted(lixia_intake, lixia_head)
    case.parties.filter(role=Party.Role.APPLICANT).update(user=worker_demo)
    applicant = _applicant(case)
    lawyer = _public("lawyer", Role.AGENT, "37010219800101003")
    grant = AgentAuthorisation.objects.create(
        case=case,
        party=applicant,
        agent_user=lawyer,
        authority="general",
        granted_by=worker_demo,
        granted_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    serving.service_address_confirm(
        by=worker_demo, case=case, party=applicant, electronic_consent=True, mobile=WORKER["phone"]
    )
    with transaction.atomic():
        mediation = document_issue(
            case=case, kind=DocumentKind.MEDIATION_DOCUMENT, title="调解书", by=None
        )
    [record] = serving.serve(
        by=lixia_clerk,
        case=case,
        document=mediation,
        parties=[applicant],
        method=ServiceMethod.ELECTRONIC,
    )
    # A general authority does not settle the case for the worker (LDMAL art. 42).
    assert not representation.has_special_authority(lawyer, applicant)
    with pytest.raises(PermissionDenied):
        serving.service_record_delivery(by=lawyer, case=case, record=record)
    grant.authority = "special"
    grant.save()
    assert representation.has_special_authority(lawyer, applicant)
    assert representation.has_special_authority(worker_demo, applicant)
    serving.service_record_delivery(by=lawyer, case=case, record=record)
    record.refresh_from_db()
    assert record.signed_at is not None and record.signed_by_name == "lawyer"
