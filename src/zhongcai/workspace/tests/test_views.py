import pytest
from django.urls import reverse

from zhongcai.orgs.models import Organisation


def _institute(code):
    return Organisation.objects.get(division_id=code, type=Organisation.Type.ARBITRATION_INSTITUTE)


@pytest.mark.django_db
def test_the_workbench_greets_staff_with_their_role(login, lixia_intake):
    page = login(lixia_intake).get(reverse("workspace:dashboard")).content.decode()
    assert "郑晓燕" in page
    assert "立案员" in page
    assert "济南市历下区劳动人事争议仲裁院" in page


@pytest.mark.django_db
def test_a_public_user_is_refused_the_workspace(login, worker_demo):
    assert login(worker_demo).get(reverse("workspace:dashboard")).status_code == 403


@pytest.mark.django_db
def test_the_menu_depends_on_the_role(login, lixia_intake, jinan_court):
    menu_entry = f'href="{reverse("workspace:organisation-list")}"'
    page = login(lixia_intake).get(reverse("workspace:dashboard")).content.decode()
    assert menu_entry in page
    page = login(jinan_court).get(reverse("workspace:dashboard")).content.decode()
    assert menu_entry not in page


@pytest.mark.django_db
def test_another_countys_organisation_is_404(login, lixia_admin):
    response = login(lixia_admin).get(
        reverse("workspace:organisation-detail", args=[_institute("370112").pk])
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_missing_organisation_looks_the_same_as_a_hidden_one(login, lixia_admin):
    response = login(lixia_admin).get(reverse("workspace:organisation-detail", args=[999999]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_city_opens_a_county_organisation_with_its_staff(login, jinan_admin):
    response = login(jinan_admin).get(
        reverse("workspace:organisation-detail", args=[_institute("370112").pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "licheng_intake" in page
    assert "lixia_intake" not in page


@pytest.mark.django_db
def test_the_province_opens_any_county(login, province_admin):
    institute = Organisation.objects.get(division_id="370781", type="arbitration_institute")
    response = login(province_admin).get(
        reverse("workspace:organisation-detail", args=[institute.pk])
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_list_shows_only_the_scope(login, lixia_admin):
    page = login(lixia_admin).get(reverse("workspace:organisation-list")).content.decode()
    assert "济南市历下区劳动人事争议仲裁院" in page
    assert "历城区" not in page


@pytest.mark.django_db
def test_the_list_searches_by_name_within_scope(login, jinan_admin):
    client = login(jinan_admin)
    page = client.get(reverse("workspace:organisation-list"), {"q": "历城"}).content.decode()
    assert "济南市历城区劳动人事争议仲裁院" in page
    assert "济南市历下区劳动人事争议仲裁院" not in page
    page = client.get(reverse("workspace:organisation-list"), {"q": "青岛"}).content.decode()
    assert "没有符合条件的机构" in page


@pytest.mark.django_db
def test_an_htmx_search_returns_only_the_rows(login, jinan_admin):
    response = login(jinan_admin).get(
        reverse("workspace:organisation-list"), {"q": "历城"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.content.decode()
    assert "历城区" in response.content.decode()


@pytest.mark.django_db
def test_the_list_answers_in_a_bounded_number_of_queries(
    login, province_admin, django_assert_max_num_queries
):
    client = login(province_admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("workspace:organisation-list"), {"page": 3})
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_detail_answers_in_a_bounded_number_of_queries(
    login, province_admin, django_assert_max_num_queries
):
    department = Organisation.objects.get(division_id="370000", type="hrss_department")
    client = login(province_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("workspace:organisation-detail", args=[department.pk]))
    assert response.status_code == 200
