"""The institutions pages as administrators and outsiders meet them: tiered maintenance,
404 for another county, 403 for the wrong role, bounded queries on lists."""

from datetime import date

import pytest
from django.urls import reverse

from zhongcai.orgs import institutions, people
from zhongcai.orgs.models import (
    CommissionDetail,
    CommissionMember,
    Organisation,
    Person,
    TrainingRecord,
)

from .factories import arbitrator, commission

pytestmark = [pytest.mark.django_db, pytest.mark.urls("zhongcai.orgs.tests.urls")]


def _person_form(**changes):
    data = {
        "kind": "arbitrator",
        "name": "林晓东",
        "sex": "male",
        "id_number": "",
        "mobile": "",
        "employment": "part_time",
        "unit": "山东示例律师事务所",
        "qualification_route": "lawyer",
        "qualification_evidence": "律师执业证",
        "specialties": "",
        "starts_on": "2026-01-01",
        "ends_on": "",
    }
    data.update(changes)
    return data


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("institutions:commission-list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


@pytest.mark.parametrize(
    "name",
    ["commission-list", "person-list", "verification", "performance", "import-start"],
)
def test_staff_who_are_not_administrators_get_403(login, lixia_intake, name):
    assert login(lixia_intake).get(reverse(f"institutions:{name}")).status_code == 403


def test_a_public_user_gets_403(login, worker_demo):
    assert login(worker_demo).get(reverse("institutions:commission-list")).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["commission-detail", "commission-edit", "member-add", "tribunal-add", "room-add"],
)
def test_another_countys_commission_is_404(login, lixia_admin, name):
    url = reverse(f"institutions:{name}", args=[commission("370112").pk])
    client = login(lixia_admin)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x"}).status_code == 404


def test_a_county_cannot_edit_another_countys_person(login, lixia_admin, licheng_admin):
    person = arbitrator(commission("370112"), by=licheng_admin)
    client = login(lixia_admin)
    for name in ("person-detail", "person-edit", "training-add", "assessment-add"):
        url = reverse(f"institutions:{name}", args=[person.pk])
        assert client.get(url).status_code == 404, name
    response = client.post(
        reverse("institutions:person-edit", args=[person.pk]), _person_form(name="改名")
    )
    assert response.status_code == 404
    appointment = person.appointments.get()
    response = client.post(
        reverse("institutions:appointment-end", args=[appointment.pk]),
        {"reason": "misconduct", "note": "x"},
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.name == "林晓东"
    assert person.appointments.get().status == "active"


def test_the_city_sees_a_countys_records_but_maintains_only_its_own(login, jinan_admin):
    lixia = commission("370102")
    client = login(jinan_admin)
    assert client.get(reverse("institutions:commission-detail", args=[lixia.pk])).status_code == 200
    assert client.get(reverse("institutions:commission-edit", args=[lixia.pk])).status_code == 403
    response = client.post(
        reverse("institutions:member-add", args=[lixia.pk]),
        {"name": "x", "category": "union", "position": "member"},
    )
    assert response.status_code == 403
    own = commission("370100")
    assert client.get(reverse("institutions:commission-edit", args=[own.pk])).status_code == 200


def test_a_county_maintains_its_commission_through_the_pages(login, lixia_admin):
    lixia = commission()
    client = login(lixia_admin)
    response = client.post(
        reverse("institutions:commission-edit", args=[lixia.pk]),
        {"seat_address": "济南市历下区龙奥西路 1 号", "established_on": "2009-03-01"},
    )
    assert response.status_code == 302
    assert (
        CommissionDetail.objects.get(commission=lixia).seat_address == "济南市历下区龙奥西路 1 号"
    )
    for name, position, category in (
        ("王立新", "chair", "labor_administration"),
        ("张国强", "member", "union"),
        ("李秀梅", "member", "employer"),
    ):
        client.post(
            reverse("institutions:member-add", args=[lixia.pk]),
            {"name": name, "position": position, "category": category, "unit": ""},
        )
    assert CommissionMember.objects.filter(commission=lixia, is_active=True).count() == 3
    page = client.get(reverse("institutions:commission-detail", args=[lixia.pk]))
    assert page.context["composition"] == []
    member = CommissionMember.objects.get(name="李秀梅")
    client.post(reverse("institutions:member-end", args=[member.pk]))
    page = client.get(reverse("institutions:commission-detail", args=[lixia.pk]))
    assert len(page.context["composition"]) == 2  # even number; employers not represented


def test_the_commission_page_warns_about_staffing(login, lixia_admin):
    page = login(lixia_admin).get(reverse("institutions:commission-detail", args=[commission().pk]))
    assert len(page.context["staffing_warnings"]) == 2


def test_a_person_is_added_and_appointed_through_the_page(login, lixia_admin):
    client = login(lixia_admin)
    url = reverse("institutions:person-create", args=[commission().pk])
    response = client.post(url, _person_form())
    assert response.status_code == 400
    assert "id_number" in response.context["form"].errors
    from .factories import id_number

    response = client.post(url, _person_form(id_number=id_number()))
    person = Person.objects.get(name="林晓东")
    assert response.status_code == 302
    assert response.url == reverse("institutions:person-detail", args=[person.pk])
    assert person.appointments.get().starts_on == date(2026, 1, 1)


def test_a_qualification_scan_is_kept_and_only_administrators_download_it(
    login, lixia_admin, lixia_intake
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import id_number

    client = login(lixia_admin)
    scan = SimpleUploadedFile("证书.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(
        reverse("institutions:person-create", args=[commission().pk]),
        {**_person_form(id_number=id_number()), "qualification_document": scan},
    )
    person = Person.objects.get(name="林晓东")
    assert person.qualification_document
    url = reverse("institutions:person-document", args=[person.pk])
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 demo"
    assert login(lixia_intake).get(url).status_code == 403


def test_dismissal_through_the_page(login, lixia_admin):
    person = arbitrator(by=lixia_admin)
    appointment = person.appointments.get()
    response = login(lixia_admin).post(
        reverse("institutions:appointment-end", args=[appointment.pk]),
        {"reason": "misconduct", "note": "收受当事人财物"},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "dismissed"


def test_training_is_recorded_through_the_page(login, lixia_admin):
    person = arbitrator(by=lixia_admin)
    response = login(lixia_admin).post(
        reverse("institutions:training-add", args=[person.pk]),
        {"completed_on": "2026-03-01", "hours": "24", "course": "仲裁员业务培训", "provider": ""},
    )
    assert response.status_code == 302
    assert TrainingRecord.objects.get(person=person).hours == 24


def test_a_county_registers_a_mediation_organisation_in_its_own_division(login, lixia_admin):
    response = login(lixia_admin).post(
        reverse("institutions:mediation-create"),
        {"name": "历下区泉城路街道劳动争议调解委员会", "short_name": "", "kind": "township",
         "area": "泉城路街道", "address": ""},
    )  # fmt: skip
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="历下区泉城路街道劳动争议调解委员会")
    assert organisation.division_id == "370102"
    assert organisation.parent.type == Organisation.Type.HRSS_DEPARTMENT
    assert organisation.mediation_detail.area == "泉城路街道"


def test_the_person_list_is_bounded_in_queries(login, lixia_admin, django_assert_max_num_queries):
    for n in range(12):
        person = arbitrator(by=lixia_admin, name=f"仲裁员{n}")
        people.training_add(
            by=lixia_admin, person=person, completed_on=date(2026, 1, 5), hours=8, course="培训"
        )
    client = login(lixia_admin)
    client.get(reverse("institutions:person-list"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("institutions:person-list"))
    assert len(page.context["rows"]) == 12
    assert all(row["below_training"] for row in page.context["rows"])


def test_the_commission_list_is_bounded_in_queries(
    login, province_admin, lixia_admin, django_assert_max_num_queries
):
    arbitrator(by=lixia_admin)
    institutions.member_add(
        by=lixia_admin,
        commission=commission(),
        name="王立新",
        category="labor_administration",
        position="chair",
        unit="",
    )
    client = login(province_admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("institutions:commission-list"))
    assert len(page.context["rows"]) == 50
    with django_assert_max_num_queries(12):
        client.get(reverse("institutions:commission-list") + "?page=3")


def test_the_menu_offers_institutions_to_administrators_only(login, lixia_admin, lixia_intake):
    entry = f'href="{reverse("institutions:commission-list")}"'
    assert entry in login(lixia_admin).get(reverse("workspace:dashboard")).content.decode()
    assert entry not in login(lixia_intake).get(reverse("workspace:dashboard")).content.decode()
