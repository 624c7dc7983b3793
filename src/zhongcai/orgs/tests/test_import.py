"""Importing people from a sheet: a report row by row, all or nothing unless chosen otherwise."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhongcai.orgs import people, person_import
from zhongcai.orgs.models import EndReason, Person, PersonImport

from .factories import arbitrator, commission, id_number, sheet, sheet_row

pytestmark = [pytest.mark.django_db, pytest.mark.urls("zhongcai.orgs.tests.urls")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, content, *, good_rows_only=False, name="人员.xlsx", code="370102"):
    data = {
        "organisation": commission(code).pk,
        "file": SimpleUploadedFile(name, content, content_type=XLSX),
    }
    if good_rows_only:
        data["good_rows_only"] = "on"
    return client.post(reverse("institutions:import-start"), data)


def _start(by, content, **kwargs):
    upload = SimpleUploadedFile("人员.xlsx", content, content_type=XLSX)
    return person_import.person_import_start(
        by=by, organisation=commission(), upload=upload, **kwargs
    )


def test_a_sheet_with_one_bad_row_reports_that_row_and_imports_nothing(
    login, lixia_admin, django_capture_on_commit_callbacks
):
    content = sheet(
        [
            sheet_row(name="张伟"),
            sheet_row(name="王芳", sex="女", qualification_route="", kind="仲裁员"),
            sheet_row(name="李娜", sex="女", kind="书记员", employment="专职", unit="",
                      qualification_route="", id_number=""),
        ]
    )  # fmt: skip
    client = login(lixia_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, content)
    started = PersonImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("institutions:import-detail", args=[started.pk])
    started.refresh_from_db()
    assert started.status == PersonImport.Status.REJECTED
    assert started.total_rows == 3
    assert started.report == [
        {
            "row": 3,
            "name": "王芳",
            "errors": ["任职资格条件: 请选择仲裁员符合调解仲裁法第二十条规定的哪一项条件。"],
        }
    ]
    assert not Person.objects.filter(name__in=["张伟", "王芳", "李娜"]).exists()

    page = client.get(response.url).content.decode()
    assert "王芳" in page and "任职资格条件" in page


def test_the_good_rows_are_imported_only_by_explicit_choice(
    login, lixia_admin, django_capture_on_commit_callbacks
):
    content = sheet([sheet_row(name="张伟"), sheet_row(name="王芳", sex="?")])
    client = login(lixia_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content)
    rejected = PersonImport.objects.get()
    assert rejected.status == PersonImport.Status.REJECTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("institutions:import-good-rows", args=[rejected.pk]))
    again = PersonImport.objects.exclude(pk=rejected.pk).get()
    assert response.url == reverse("institutions:import-detail", args=[again.pk])
    assert again.status == PersonImport.Status.IMPORTED
    assert again.imported_rows == 1
    assert len(again.report) == 1
    person = Person.objects.get(name="张伟")
    assert person.appointments.get().starts_on == date(2026, 1, 1)
    assert not Person.objects.filter(name="王芳").exists()


def test_choosing_good_rows_at_upload_imports_them_at_once(
    lixia_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = _start(
            lixia_admin,
            sheet([sheet_row(name="张伟"), sheet_row(name="王芳", starts_on="明年")]),
            good_rows_only=True,
        )
    started.refresh_from_db()
    assert started.status == PersonImport.Status.IMPORTED
    assert started.report[0]["row"] == 3
    assert "聘任起始日期" in started.report[0]["errors"][0]


def test_a_clean_sheet_is_imported_whole_with_events(
    lixia_admin, django_capture_on_commit_callbacks
):
    rows = [sheet_row(name=f"仲裁员{n}") for n in range(3)]
    rows.append(
        sheet_row(name="马晓丽", kind="办案辅助人员", employment="专职", unit="",
                  qualification_route="", id_number="", starts_on=date(2026, 2, 1))
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        started = _start(lixia_admin, sheet(rows))
    started.refresh_from_db()
    assert started.status == PersonImport.Status.IMPORTED
    assert started.imported_rows == 4
    assistant = Person.objects.get(name="马晓丽")
    assert assistant.kind == Person.Kind.CASE_ASSISTANT
    assert assistant.appointments.get().starts_on == date(2026, 2, 1)


def test_rows_that_repeat_a_person_or_meet_the_bar_are_reported(
    lixia_admin, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        dismissed = arbitrator(by=lixia_admin, name="被解聘者", starts_on=date(2025, 1, 1))
        people.appointment_end(
            by=lixia_admin,
            appointment=dismissed.appointments.get(),
            reason=EndReason.CRIMINAL,
            note="受到刑事处罚",
        )
    twice = id_number()
    content = sheet(
        [
            sheet_row(name="甲", id_number=twice),
            sheet_row(name="乙", id_number=twice),
            sheet_row(name="被解聘者", id_number=dismissed.id_number, starts_on="2026-09-01"),
            sheet_row(name="丙", id_number="370102198001010010"),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        started = _start(lixia_admin, content)
    started.refresh_from_db()
    report = {row["row"]: " ".join(row["errors"]) for row in started.report}
    assert set(report) == {3, 4, 5}
    assert "row 2" in report[3]
    assert "2031-03-01" in report[4]
    assert "公民身份号码" in report[5]


def test_an_unreadable_or_wrongly_headed_file_is_refused_whole(
    lixia_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = _start(lixia_admin, b"not a workbook")
    started.refresh_from_db()
    assert started.status == PersonImport.Status.FAILED
    assert started.file_errors == ["The file is not an Excel workbook (.xlsx)."]

    with django_capture_on_commit_callbacks(execute=True):
        started = _start(lixia_admin, sheet([["张伟"]], headers=["姓名", "电话"]))
    started.refresh_from_db()
    assert started.status == PersonImport.Status.FAILED
    assert any("电话" in e for e in started.file_errors)
    assert any("性别" in e for e in started.file_errors)


def test_a_county_imports_only_into_its_own_organisations(login, lixia_admin):
    response = _upload(login(lixia_admin), sheet([sheet_row()]), code="370112")
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not PersonImport.objects.exists()


def test_the_status_is_polled_while_running_and_stops_when_finished(login, lixia_admin):
    started = _start(lixia_admin, sheet([sheet_row()]))  # on_commit not run: still pending
    client = login(lixia_admin)
    url = reverse("institutions:import-detail", args=[started.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in partial
    assert "<progress" in partial
    person_import.run(started.pk)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial


def test_progress_is_written_while_rows_are_checked(lixia_admin, monkeypatch):
    seen = []
    original = person_import._progress

    def spy(pk, **values):
        if "processed_rows" in values:
            seen.append(values["processed_rows"])
        original(pk, **values)

    monkeypatch.setattr(person_import, "_progress", spy)
    monkeypatch.setattr(person_import, "PROGRESS_EVERY", 2)
    started = _start(lixia_admin, sheet([sheet_row(name=f"甲{n}") for n in range(5)]))
    person_import.run(started.pk)
    assert seen == [2, 4, 5]


def test_the_template_imports_as_it_comes(lixia_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = _start(lixia_admin, person_import.template())
    started.refresh_from_db()
    # The example row's ID number is fictitious: its check digit is refused, row reported.
    assert started.status == PersonImport.Status.REJECTED
    assert started.report[0]["row"] == 2
