"""The report pages: who may see them, the frozen month, the exports, the data-quality page."""

import io
import json
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from zhongcai.accounts.models import Role, User
from zhongcai.cases.models import Case
from zhongcai.monitoring.report_models import MonthlyReport

from .report_scenarios import AFTER, accept, clean_october, hrss

pytestmark = pytest.mark.django_db
PAGE = reverse("monitoring:report")
QUALITY = reverse("monitoring:data-quality")


@pytest.fixture
def clean(institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator):
    return clean_october(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)


@pytest.fixture
def client_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def get(client, url, **params):
    with time_machine.travel(AFTER, tick=False):
        return client.get(url, params)


def post(client, url, **data):
    with time_machine.travel(AFTER, tick=False):
        return client.post(url, data)


def lixia(user):
    return {"organisation": user.organisation.pk, "month": "2026-10"}


def test_anonymous_users_are_sent_to_log_in(client):
    for url in (PAGE, QUALITY, reverse("monitoring:report-xlsx")):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("username", ["lixia_clerk", "lixia_intake", "lixia_arbitrator",
                                      "jinan_court"])  # fmt: skip
def test_other_roles_get_403(province, client_as, username):
    client = client_as(User.objects.get(username=username))
    for url in (PAGE, QUALITY, reverse("monitoring:report-json")):
        assert get(client, url, month="2026-10").status_code == 403


def test_public_users_get_403(client_as, worker_demo):
    assert get(client_as(worker_demo), PAGE).status_code == 403


def test_the_page_shows_the_table_and_the_checks(clean, client_as, lixia_admin):
    response = get(client_as(lixia_admin), PAGE, **lixia(lixia_admin))
    assert response.status_code == 200
    rows = {r.code: r.value for r in response.context["rows"]}
    assert rows["accepted"] == 3
    assert response.context["failing"] == 0
    assert response.context["shown"] is None
    assert "当期受理案件数" in response.content.decode()


def test_the_default_is_the_users_organisation_and_last_month(clean, client_as, lixia_admin):
    response = get(client_as(lixia_admin), PAGE)
    assert response.context["target"].organisation == lixia_admin.organisation
    assert response.context["month_text"] == "2026-10"


def test_an_institute_head_sees_the_institutes_report(clean, client_as, lixia_head):
    response = get(client_as(lixia_head), PAGE)
    assert response.status_code == 200
    assert response.context["may_submit"] is False


def test_failures_link_to_the_cases(clean, client_as, lixia_admin):
    Case.objects.filter(pk=clean["C"].pk).update(collective=True)
    response = get(client_as(lixia_admin), PAGE, **lixia(lixia_admin))
    assert response.context["failing"] == 1
    assert reverse("cases:case-detail", args=[clean["C"].pk]) in response.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "octobre", "2026-1x"])
def test_a_bad_month_is_a_clear_400(province, client_as, lixia_admin, month):
    response = get(client_as(lixia_admin), PAGE, month=month)
    assert response.status_code == 400
    assert month in response.content.decode()


def test_a_bad_organisation_is_a_clear_400_and_a_missing_one_404(province, client_as, lixia_admin):
    client = client_as(lixia_admin)
    assert get(client, PAGE, organisation="abc").status_code == 400
    assert get(client, PAGE, organisation="999999").status_code == 404


def test_another_countys_report_is_404(clean, client_as, lixia_admin):
    client = client_as(lixia_admin)
    licheng = {"organisation": hrss("370112").pk, "month": "2026-10"}
    assert get(client, PAGE, **licheng).status_code == 404
    assert get(client, reverse("monitoring:report-xlsx"), **licheng).status_code == 404
    assert get(client, QUALITY, **licheng).status_code == 404
    assert post(client, reverse("monitoring:report-submit"), **licheng).status_code == 404
    assert not MonthlyReport.objects.exists()


def test_submit_then_second_submit_is_refused(clean, client_as, lixia_admin):
    client = client_as(lixia_admin)
    url = reverse("monitoring:report-submit")
    assert post(client, url, **lixia(lixia_admin)).status_code == 302
    assert MonthlyReport.objects.get().version == 1
    response = post(client, url, **lixia(lixia_admin))
    assert response.status_code == 302
    assert MonthlyReport.objects.count() == 1
    page = get(client, PAGE, **lixia(lixia_admin))
    assert [m.level_tag for m in page.context["messages"]] == ["success", "error"]
    assert page.context["shown"].version == 1


def test_an_institute_head_cannot_submit(clean, client_as, lixia_head):
    response = post(client_as(lixia_head), reverse("monitoring:report-submit"))
    assert response.status_code == 403
    assert not MonthlyReport.objects.exists()


def test_the_correction_form_needs_a_reason(clean, client_as, lixia_admin):
    client = client_as(lixia_admin)
    post(client, reverse("monitoring:report-submit"), **lixia(lixia_admin))
    url = reverse("monitoring:report-correct")
    post(client, url, reason="", **lixia(lixia_admin))
    assert MonthlyReport.objects.count() == 1
    post(client, url, reason="更正受理数", **lixia(lixia_admin))
    assert list(MonthlyReport.objects.values_list("version", flat=True).order_by("version")) == [
        1, 2,
    ]  # fmt: skip
    page = get(client, PAGE, version="1", **lixia(lixia_admin))
    assert page.context["shown"].version == 1


def test_the_frozen_page_lists_the_rows_changed_after_submission(
    clean, client_as, lixia_admin, lixia_intake, lixia_head
):
    client = client_as(lixia_admin)
    post(client, reverse("monitoring:report-submit"), **lixia(lixia_admin))
    accept(10, 28, lixia_intake, lixia_head, 150)
    page = get(client, PAGE, **lixia(lixia_admin))
    changed = {c.code: (c.submitted, c.live) for c in page.context["changed"]}
    assert changed["accepted"] == (3, 4)
    submitted = {r["code"]: r["value"] for r in page.context["submitted_rows"]}
    assert submitted["accepted"] == 3
    quality = get(client, QUALITY, **lixia(lixia_admin))
    [(report, diff, _query)] = quality.context["changed"]
    assert report.version == 1 and "accepted" in {c.code for c in diff}


def test_the_excel_export_opens_and_holds_the_values(clean, client_as, lixia_admin):
    client = client_as(lixia_admin)
    post(client, reverse("monitoring:report-submit"), **lixia(lixia_admin))
    response = get(client, reverse("monitoring:report-xlsx"), **lixia(lixia_admin))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert 'filename="monthly-report-370102-2026-10-v1.xlsx"' in disposition
    assert "filename*=UTF-8''" + quote("历下区人社") in disposition
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][0] == "劳动人事争议仲裁案件情况月报"
    assert cells[2] == ("行次", "指标名称", "计量单位", "数值")
    by_name = {row[1].strip("　"): row[3] for row in cells[3:] if row and row[1]}
    assert by_name["当期受理案件数"] == 3
    assert by_name["仲裁结案率"] == pytest.approx(66.7)
    assert any(row[0] == "单位负责人：" for row in cells if row)


def test_the_draft_export_is_marked(clean, client_as, lixia_admin):
    response = get(client_as(lixia_admin), reverse("monitoring:report-xlsx"), **lixia(lixia_admin))
    assert "draft" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "草稿" in sheet["A1"].value


def test_the_json_export_parses(clean, client_as, lixia_admin):
    client = client_as(lixia_admin)
    post(client, reverse("monitoring:report-submit"), **lixia(lixia_admin))
    response = get(client, reverse("monitoring:report-json"), **lixia(lixia_admin))
    data = json.loads(response.content)
    assert data["organisation"]["division_code"] == "370102"
    assert data["month"] == "2026-10" and data["version"] == 1 and data["draft"] is False
    assert data["indicators"]["accepted"] == 3
    assert data["digest"] == MonthlyReport.objects.get().digest
    assert response["Content-Disposition"].startswith('attachment; filename="monthly-report')


def test_an_unknown_version_is_a_clear_400(clean, client_as, lixia_admin):
    response = get(client_as(lixia_admin), reverse("monitoring:report-json"), version="7",
                   **lixia(lixia_admin))  # fmt: skip
    assert response.status_code == 400


def test_the_data_quality_page_lists_failures_by_institute(clean, client_as, jinan_admin):
    Case.objects.filter(pk=clean["C"].pk).update(collective=True)
    response = get(client_as(jinan_admin), QUALITY, month="2026-10")
    assert response.status_code == 200
    [(institute, items)] = response.context["problems"]
    assert institute.division_id == "370102"
    assert items[0]["code"] == "collective.too_few"
    assert items[0]["cases"][0]["pk"] == clean["C"].pk


def test_the_data_quality_page_of_a_clean_month_is_empty(clean, client_as, jinan_admin):
    response = get(client_as(jinan_admin), QUALITY, month="2026-10")
    assert response.context["problems"] == [] and response.context["changed"] == []


def test_a_system_admin_may_look(clean, client_as, province):
    admin = User.objects.create(username="sys", role=Role.SYSTEM_ADMIN,
                                organisation=hrss("370000"))  # fmt: skip
    assert get(client_as(admin), QUALITY, month="2026-10").status_code == 200
