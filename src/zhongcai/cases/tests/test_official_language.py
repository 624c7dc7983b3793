"""Documents of record are written in the platform's language whatever the actor reads."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from zhongcai.cases import closing
from zhongcai.cases.models import CaseDocument, DocumentKind
from zhongcai.cases.tests import factories


def test_a_notice_issued_by_a_reader_of_english_is_in_chinese(
    institutions, lixia_intake, lixia_head
):
    case = factories.accepted(lixia_intake, lixia_head)
    with translation.override("en"):
        closing.case_suspend(by=lixia_head, case=case, reason="awaiting_appraisal", note="x")
    notice = CaseDocument.objects.get(case=case, kind=DocumentKind.SUSPENSION_NOTICE)
    assert "中止" in notice.title


def test_a_refusal_inside_a_step_is_in_the_readers_language_and_writes_nothing(
    institutions, lixia_intake, lixia_head
):
    case = factories.accepted(lixia_intake, lixia_head)
    before = CaseDocument.objects.filter(case=case).count()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        closing.case_extend(by=lixia_head, case=case, days=16, reasons="complex")
    assert "At most 15 days" in " ".join(refused.value.messages)
    assert CaseDocument.objects.filter(case=case).count() == before
