"""Closing approval and the archived file: volumes, order, retention (办案规则 arts. 21–24)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from zhongcai.cases import archive, closing, integrity, services
from zhongcai.cases.documents import document_issue
from zhongcai.cases.models import (
    ArchiveEntry,
    DocumentKind,
    EvidenceItem,
    HearingRecord,
    Status,
    Volume,
)
from zhongcai.cases.tests import factories
from zhongcai.cases.workflow import TransitionError
from zhongcai.core.events import events_of

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00 +0800"


def consistent(case):
    case.refresh_from_db()
    return integrity.problems_of(case, list(events_of(case))) == []


@pytest.fixture
def full_file(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    """A case heard once, with evidence, a hearing record in two versions, an extension and a
    deliberation record, then withdrawn."""
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        case = factories.accepted(lixia_intake, lixia_head)
        case = factories.tribunal_formed(case, lixia_head)
        case = factories.in_defence_period(case, lixia_clerk)
    with time_machine.travel(at(date(2026, 3, 10)), tick=False):
        EvidenceItem.objects.create(
            case=case,
            number=1,
            party=case.parties.first(),
            title="工资条",
            sha256="a" * 64,
            submitted_at=timezone.now(),
            recorded_by=lixia_clerk,
        )
        case = factories.hearing_scheduled(case, lixia_clerk, days_ahead=10)
    with time_machine.travel(at(date(2026, 3, 20)), tick=False):
        case = factories.in_hearing(case, lixia_arbitrator)
        hearing = case.hearings.get()
        for version in (1, 2):
            HearingRecord.objects.create(
                hearing=hearing,
                version=version,
                text=f"笔录 v{version}",
                sha256=str(version) * 64,
                written_at=timezone.now() + timedelta(minutes=version),
                written_by=lixia_clerk,
            )
        closing.case_extend(by=lixia_head, case=case, days=10, reasons="案情复杂")
        document_issue(
            case=case, kind=DocumentKind.DELIBERATION_RECORD, title="评议记录", by=lixia_arbitrator
        )
    with time_machine.travel(at(date(2026, 3, 25)), tick=False):
        closing.case_withdraw(by=lixia_clerk, case=case, reasons="已和解")
    case.refresh_from_db()
    return case


def test_it_refuses_to_archive_before_the_closing_is_approved(full_file, lixia_clerk):
    with pytest.raises(TransitionError):
        archive.case_archive(by=lixia_clerk, case=full_file)
    assert not ArchiveEntry.objects.filter(case=full_file).exists()


def test_it_refuses_to_approve_the_closing_of_an_open_case(lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    with pytest.raises(TransitionError):
        archive.closing_approve(by=lixia_head, case=case)


def test_the_closing_is_approved_once_by_the_head(full_file, lixia_head, lixia_clerk):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        archive.closing_approve(by=lixia_clerk, case=full_file)
    form = archive.closing_approve(by=lixia_head, case=full_file)
    assert form.volume == Volume.SECONDARY
    with pytest.raises(TransitionError):
        archive.closing_approve(by=lixia_head, case=full_file)


def test_the_archive_splits_the_file_into_main_and_secondary_volumes(
    full_file, lixia_head, lixia_clerk
):
    with time_machine.travel(at(date(2026, 3, 30)), tick=False):
        archive.closing_approve(by=lixia_head, case=full_file)
        case = archive.case_archive(by=lixia_clerk, case=full_file)
    assert case.status == Status.ARCHIVED
    main = list(ArchiveEntry.objects.filter(case=case, volume=Volume.MAIN))
    secondary = list(ArchiveEntry.objects.filter(case=case, volume=Volume.SECONDARY))
    main_kinds = {e.kind for e in main}
    assert {
        "application",
        "receipt",
        "acceptance_notice",
        DocumentKind.RESPONSE_NOTICE,
        "service_record",
        "evidence",
        "hearing_record",
        DocumentKind.EXTENSION_NOTICE,
        DocumentKind.DECISION,
    } <= main_kinds
    assert sorted(e.kind for e in secondary) == sorted(
        [
            "filing_approval",
            DocumentKind.APPROVAL_FORM,
            DocumentKind.DELIBERATION_RECORD,
            DocumentKind.CLOSING_APPROVAL,
        ]
    )
    assert not main_kinds & {e.kind for e in secondary}
    # Two versions written before records were issued as documents: each stands for itself.
    assert [e.kind for e in main].count("hearing_record") == 2
    evidence = next(e for e in main if e.kind == "evidence")
    assert evidence.sha256 == "a" * 64
    application = next(e for e in main if e.kind == "application")
    assert application.sha256 == events_of(case).get(kind="case.received").payload["digest"]
    for volume in (main, secondary):
        assert [e.order for e in volume] == list(range(1, len(volume) + 1))
        assert [e.dated for e in volume] == sorted(e.dated for e in volume)
    archived = events_of(case).get(kind="case.archived")
    assert archived.payload["main_entries"] == len(main)
    assert archived.payload["secondary_entries"] == len(secondary)
    assert archived.payload["toc_digest"] == archive.toc_digest(main + secondary)
    assert consistent(case)


def test_a_withdrawn_case_is_kept_5_years(full_file, lixia_head, lixia_clerk):
    with time_machine.travel(at(date(2026, 4, 1)), tick=False):
        archive.closing_approve(by=lixia_head, case=full_file)
        case = archive.case_archive(by=lixia_head, case=full_file)
    assert case.retention_years == 5
    assert case.retain_until == date(2031, 4, 1)


def test_an_award_case_is_kept_10_years(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        case = factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
        case = factories.closing_awarded(case, lixia_arbitrator)
        archive.closing_approve(by=lixia_head, case=case)
        case = archive.case_archive(by=lixia_clerk, case=case)
    assert case.retention_years == 10
    assert case.retain_until == date(2036, 3, 2)
    assert ArchiveEntry.objects.filter(case=case, kind=DocumentKind.AWARD).count() == 1
    assert consistent(case)


def test_retention_is_a_setting(settings, lixia_intake, lixia_head):
    settings.CASES_RETENTION_YEARS_OTHER = 7
    case = factories.accepted(lixia_intake, lixia_head)
    closing.case_withdraw(by=lixia_head, case=case)
    archive.closing_approve(by=lixia_head, case=case)
    assert archive.case_archive(by=lixia_head, case=case).retention_years == 7


def test_archived_on_29_february_is_kept_until_28_february(lixia_intake, lixia_head):
    with time_machine.travel(at(date(2028, 2, 20)), tick=False):
        case = factories.accepted(lixia_intake, lixia_head)
        closing.case_withdraw(by=lixia_head, case=case)
        archive.closing_approve(by=lixia_head, case=case)
    with time_machine.travel(at(date(2028, 2, 29)), tick=False):
        case = archive.case_archive(by=lixia_head, case=case)
    assert case.retain_until == date(2033, 2, 28)
    assert archive.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_a_party_reads_only_the_main_volume(lixia_head, worker_demo):
    case = services.case_submit(by=worker_demo, case=factories.draft(worker_demo))
    case = services.case_accept(by=lixia_head, case=case, warnings_acknowledged=True)
    closing.case_extend(by=lixia_head, case=case, days=5, reasons="案情复杂")
    closing.case_withdraw(by=worker_demo, case=case)
    archive.closing_approve(by=lixia_head, case=case)
    archive.case_archive(by=lixia_head, case=case)
    seen = list(archive.entries_for(worker_demo, case))
    assert seen
    assert {e.volume for e in seen} == {Volume.MAIN}
    assert {e.volume for e in archive.entries_for(lixia_head, case)} == {
        Volume.MAIN,
        Volume.SECONDARY,
    }


def test_an_archived_case_is_not_archived_again(lixia_intake, lixia_head):
    case = factories.accepted(lixia_intake, lixia_head)
    closing.case_revoke(by=lixia_head, case=case, ground="no_clear_claim", reasons="无明确请求")
    archive.closing_approve(by=lixia_head, case=case)
    archive.case_archive(by=lixia_head, case=case)
    with pytest.raises(TransitionError):
        archive.case_archive(by=lixia_head, case=case)
    assert ArchiveEntry.objects.filter(case=case, kind="filing_approval").count() == 1
