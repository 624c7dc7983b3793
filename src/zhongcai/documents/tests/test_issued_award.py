"""The acceptance of issue 5, end to end: an award made by the tribunal is frozen when made, its
PDF sealed and signed once the step commits, and the file verifies — until one byte changes."""

import pytest
from django.core.management import CommandError, call_command

from zhongcai.cases import award
from zhongcai.cases.models import CaseDocument, DocumentKind
from zhongcai.cases.tests import factories
from zhongcai.documents import signing
from zhongcai.documents.pdfcheck import missing_glyphs

pytestmark = pytest.mark.django_db


def test_an_issued_award_is_signed_and_verifies_and_a_flipped_byte_fails(
    institutions,
    lixia_intake,
    lixia_head,
    lixia_clerk,
    lixia_arbitrator,
    django_capture_on_commit_callbacks,
    tmp_path,
):
    factories.award_wage()
    case = factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
    award.mediation_attempt_record(by=lixia_arbitrator, case=case, outcome="failed")
    with django_capture_on_commit_callbacks(execute=True):
        made = award.award_make(
            by=lixia_arbitrator,
            case=case,
            items=factories.award_items(case, {1: "9000", 2: "9000"}),
            facts="申请人在被申请人处工作，被申请人拖欠工资。",
            reasoning="被申请人应当支付。",
            legal_basis="《中华人民共和国劳动合同法》第三十条",
        )
    document = CaseDocument.objects.get(pk=made.document_id, kind=DocumentKind.AWARD)
    rendition = document.rendition
    assert rendition.code == "award" and rendition.produced_at and rendition.signed
    pdf = rendition.pdf.open("rb").read()
    assert missing_glyphs(pdf) == []

    report = signing.verify_document(pdf)
    assert report.ok, report.problems
    assert report.document == document.pk and report.case == case.pk

    good = tmp_path / "award.pdf"
    good.write_bytes(pdf)
    call_command("verify_document", str(good))  # no error: verified

    tampered = tmp_path / "tampered.pdf"
    middle = len(pdf) // 2
    tampered.write_bytes(pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1 :])
    assert not signing.verify_document(tampered.read_bytes()).ok
    with pytest.raises(CommandError):
        call_command("verify_document", str(tampered))
