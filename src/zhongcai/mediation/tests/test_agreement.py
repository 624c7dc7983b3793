"""The agreement: draft, three signatures, seal → AGREED; immutability once signed; court
confirmation and breach (LDMAL arts. 14–15; 人民调解法 art. 33)."""

import io
import json
import re
import zipfile
from contextlib import contextmanager
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from zhongcai.accounts.models import Role, User
from zhongcai.core.events import events_of, verify_chains
from zhongcai.mediation import agreement as svc
from zhongcai.mediation import agreement_text
from zhongcai.mediation.models import Agreement, MediationCase, Proposal, Status
from zhongcai.mediation.workflow import TransitionError
from zhongcai.orgs.models import Person

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7\n% a stand-in: rendering is tested once\n%%EOF\n"
ITEMS = [{"description": "被申请人于2026年3月20日前支付工资", "amount": "11000"}]


@contextmanager
def fake_pdfs():
    """Rendering takes a second; one test renders for real, the others use a stand-in."""
    with (
        mock.patch.object(agreement_text, "agreement_pdf", return_value=FAKE_PDF),
        mock.patch.object(agreement_text, "mediation_document_pdf", return_value=FAKE_PDF),
    ):
        yield


def be_mediator(case, user):
    """Give the case's drawn mediator ``user``'s account (the demo mediators have none)."""
    Person.objects.filter(user=user).exclude(pk=case.mediator_id).update(user=None)
    Person.objects.filter(pk=case.mediator_id).update(user=user)
    case.refresh_from_db()
    return case


def reach_agreement(case, *, mediator, applicant, respondent, items=ITEMS):
    """Draft, the three signatures and the seal: the case is AGREED (a stand-in PDF)."""
    be_mediator(case, mediator)
    svc.agreement_draft(by=mediator, case=case, items=items)
    for user in (applicant, respondent, mediator):
        svc.agreement_sign(by=user, case=case)
    with fake_pdfs():
        return svc.agreement_seal(by=mediator, case=case)


@pytest.fixture
def drafted(mediating, lixia_mediator):
    be_mediator(mediating, lixia_mediator)
    svc.agreement_draft(by=lixia_mediator, case=mediating, items=ITEMS)
    return mediating


def test_it_drafts_signs_and_seals_and_the_case_is_agreed(
    drafted, lixia_mediator, worker_demo, employer_user
):
    agreement = drafted.agreement
    assert re.fullmatch(r"济历下调协字〔\d{4}〕第1号", agreement.number)
    assert agreement.items == [
        {"number": 1, "description": ITEMS[0]["description"], "amount": "11000.00"}
    ]
    text = " ".join(b.get("t", "") for b in agreement.content)
    assert "调解协议书" in text and "十五日内" in text and "三十日内" in text
    assert agreement.content_sha256 == agreement_text.digest(agreement.content)

    sig = svc.agreement_sign(by=worker_demo, case=drafted, ip="10.0.0.1")
    assert (sig.side, sig.content_sha256) == ("applicant", agreement.content_sha256)
    sig = svc.agreement_sign(by=employer_user, case=drafted)
    assert sig.side == "respondent" and "王经理" in sig.name
    with pytest.raises(ValidationError):
        svc.agreement_seal(by=lixia_mediator, case=drafted)  # the mediator has not signed
    svc.agreement_sign(by=lixia_mediator, case=drafted)
    with fake_pdfs():
        case = svc.agreement_seal(by=lixia_mediator, case=drafted)

    assert case.status == Status.AGREED
    agreement.refresh_from_db()
    assert agreement.effective_at and agreement.sealed_by == lixia_mediator
    assert agreement.pdf.read() == FAKE_PDF
    kinds = [e.kind for e in events_of(case)]
    assert kinds[-6:] == [
        "mediation.agreement_drafted",
        "mediation.agreement_signed",
        "mediation.agreement_signed",
        "mediation.agreement_signed",
        "mediation.agreement_sealed",
        "mediation.agreed",
    ]
    sealed = events_of(case).get(kind="mediation.agreement_sealed")
    assert sealed.payload["pdf_sha256"] == agreement.pdf_sha256
    assert list(verify_chains()) == []


def test_a_redraft_replaces_the_draft_until_someone_signs(drafted, lixia_mediator, worker_demo):
    first = drafted.agreement
    svc.agreement_draft(by=lixia_mediator, case=drafted, items=[{"description": "一次性支付"}])
    again = Agreement.objects.get(case=drafted)
    assert again.pk == first.pk and again.number == first.number
    assert again.content_sha256 != first.content_sha256

    svc.agreement_sign(by=worker_demo, case=drafted)
    with pytest.raises(ValidationError) as caught:
        svc.agreement_draft(by=lixia_mediator, case=drafted, items=ITEMS)
    assert "agreement" in caught.value.message_dict
    after = Agreement.objects.get(case=drafted)
    assert (after.content, after.content_sha256) == (again.content, again.content_sha256)


def test_it_drafts_from_the_proposal_both_parties_accepted_only(
    mediating, lixia_mediator, worker_demo
):
    def proposal(number, status):
        return Proposal.objects.create(
            case=mediating,
            number=number,
            side="mediator",
            proposed_by=lixia_mediator,
            items=[{"number": 1, "description": "支付经济补偿", "amount": "9000.00"}],
            status=status,
        )

    countered = proposal(1, Proposal.Status.COUNTERED)
    with pytest.raises(ValidationError) as caught:
        svc.agreement_draft(by=lixia_mediator, case=mediating, proposal=countered)
    assert "proposal" in caught.value.message_dict
    accepted = proposal(2, Proposal.Status.ACCEPTED)
    assert svc.accepted_proposal(mediating) == accepted
    agreement = svc.agreement_draft(by=lixia_mediator, case=mediating, proposal=accepted)
    assert agreement.proposal == accepted and agreement.items[0]["amount"] == "9000.00"


def test_bad_items_get_errors_and_nothing_is_drafted(mediating, lixia_mediator):
    with pytest.raises(ValidationError) as caught:
        svc.agreement_draft(
            by=lixia_mediator, case=mediating, items=[{"description": "", "amount": "abc"}]
        )
    assert set(caught.value.message_dict) == {"items.0.description", "items.0.amount"}
    assert not Agreement.objects.filter(case=mediating).exists()


def test_strangers_and_the_other_organisation_may_not_draft_or_sign(
    drafted, licheng_mediator, lixia_head, province
):
    stranger = User.objects.create_user(username="stranger", password="x", role=Role.WORKER)
    with pytest.raises(PermissionDenied):
        svc.agreement_sign(by=stranger, case=drafted)
    with pytest.raises(PermissionDenied):
        svc.agreement_sign(by=licheng_mediator, case=drafted)
    with pytest.raises(PermissionDenied):
        svc.agreement_draft(by=licheng_mediator, case=drafted, items=ITEMS)
    with pytest.raises(PermissionDenied):
        svc.agreement_sign(by=lixia_head, case=drafted)  # not a mediation staff member here
    assert not drafted.agreement.signatures.exists()


def test_each_signs_once_and_must_confirm_having_read(drafted, worker_demo):
    with pytest.raises(ValidationError) as caught:
        svc.agreement_sign(by=worker_demo, case=drafted, confirm_read=False)
    assert "confirm_read" in caught.value.message_dict
    svc.agreement_sign(by=worker_demo, case=drafted)
    with pytest.raises(ValidationError):
        svc.agreement_sign(by=worker_demo, case=drafted)
    assert drafted.agreement.signatures.count() == 1


def test_nothing_to_sign_before_a_draft(mediating, worker_demo):
    with pytest.raises(ValidationError):
        svc.agreement_sign(by=worker_demo, case=mediating)


def test_a_sealed_agreement_cannot_be_redrafted(
    mediating, lixia_mediator, worker_demo, employer_user
):
    case = reach_agreement(
        mediating, mediator=lixia_mediator, applicant=worker_demo, respondent=employer_user
    )
    before = case.agreement.content_sha256
    with pytest.raises((ValidationError, TransitionError)):
        svc.agreement_draft(by=lixia_mediator, case=case, items=[{"description": "改"}])
    with pytest.raises((ValidationError, TransitionError)):
        svc.agreement_sign(by=worker_demo, case=case)
    assert Agreement.objects.get(case=case).content_sha256 == before


def test_court_confirmation_within_30_days_and_the_package(
    mediating, lixia_mediator, worker_demo, employer_user
):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        case = reach_agreement(
            mediating, mediator=lixia_mediator, applicant=worker_demo, respondent=employer_user
        )
    both = {"consent_applicant": True, "consent_respondent": True}
    with time_machine.travel("2026-04-02 10:00 +0800", tick=False):  # day 31
        with pytest.raises(ValidationError) as caught:
            svc.agreement_request_court_confirmation(
                by=lixia_mediator, case=case, court="历下区法院", **both
            )
        assert "court" in caught.value.message_dict
    with time_machine.travel("2026-04-01 10:00 +0800", tick=False):  # day 30
        with pytest.raises(ValidationError):
            svc.agreement_request_court_confirmation(
                by=lixia_mediator, case=case, court="  ", **both
            )
        # The parties apply jointly (人民调解法 art. 33): one party alone cannot close the
        # review path, nor can staff without both consents.
        with pytest.raises(PermissionDenied):
            svc.agreement_request_court_confirmation(
                by=worker_demo, case=case, court="济南市历下区人民法院", **both
            )
        with pytest.raises(ValidationError) as caught:
            svc.agreement_request_court_confirmation(
                by=lixia_mediator, case=case, court="济南市历下区人民法院",
                consent_applicant=True,
            )  # fmt: skip
        assert "consent" in caught.value.message_dict
        case = svc.agreement_request_court_confirmation(
            by=lixia_mediator, case=case, court="济南市历下区人民法院", **both
        )
    assert (case.status, case.court) == (Status.JUDICIAL_CONFIRMATION, "济南市历下区人民法院")
    archive = zipfile.ZipFile(io.BytesIO(agreement_text.court_package(case)))
    summary = json.loads(archive.read("summary.json"))
    assert archive.read(f"{case.agreement.number}.pdf") == FAKE_PDF
    assert [s["side"] for s in summary["signatures"]] == ["applicant", "respondent", "mediator"]
    last = events_of(case).order_by("-seq").first()
    assert summary["event_chain"] == {"events": last.seq, "head_sha256": last.hash}


def test_a_party_reports_a_breach(mediating, lixia_mediator, worker_demo, employer_user):
    case = reach_agreement(
        mediating, mediator=lixia_mediator, applicant=worker_demo, respondent=employer_user
    )
    with pytest.raises(ValidationError):
        svc.agreement_report_breach(by=worker_demo, case=case, note="")
    case = svc.agreement_report_breach(by=worker_demo, case=case, note="到期未支付工资")
    assert case.status == Status.BREACHED and case.breached_at
    with pytest.raises(TransitionError):
        svc.agreement_report_breach(by=worker_demo, case=case, note="再次")


def test_no_breach_before_the_agreement_takes_effect(drafted, worker_demo):
    with pytest.raises(TransitionError):
        svc.agreement_report_breach(by=worker_demo, case=drafted, note="未履行")
    assert MediationCase.objects.get(pk=drafted.pk).status == Status.MEDIATING


def test_the_sealed_pdf_renders_in_chinese_with_every_glyph(
    mediating, lixia_mediator, worker_demo, employer_user
):
    from django.utils import translation

    from zhongcai.documents.pdfcheck import missing_glyphs

    # A mediator working in English still issues the Chinese document of record.
    with translation.override("en"):
        case = reach_agreement(
            mediating, mediator=lixia_mediator, applicant=worker_demo, respondent=employer_user
        )
    agreement = case.agreement
    assert "调解协议书" in str(agreement.content)
    with translation.override("en"):
        pdf = agreement_text.agreement_pdf(agreement)
    assert pdf.startswith(b"%PDF") and missing_glyphs(pdf) == []
