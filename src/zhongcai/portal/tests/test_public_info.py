"""Public information: the commissions a worker can go to, and how arbitration works."""

from __future__ import annotations

import re

import pytest

from zhongcai.cases.numbering import profile_of
from zhongcai.cases.tests.factories import commission
from zhongcai.demo.appointments import load_demo_appointments
from zhongcai.orgs import institutions as org_services
from zhongcai.orgs.models import Organisation
from zhongcai.portal import public_info

LIXIA, LICHENG, JINAN, QINGDAO, PROVINCE = "370102", "370112", "370100", "370200", "370000"


@pytest.fixture
def contacts(province):
    """Lixia publishes its own address, phone and hours; Licheng only has its registered seat."""
    lixia = commission(LIXIA)
    profile = profile_of(lixia)
    profile.address = "济南市历下区龙奥西路 1 号 1 楼大厅"
    profile.postcode = "250101"
    profile.phone = "0531-66608888"
    profile.office_hours = "周一至周五 9:00—12:00，13:30—17:00"
    profile.save()
    org_services.commission_detail_update(
        by=None,
        commission=commission(LICHENG),
        seat_address="济南市历城区山大南路 1 号",
        established_on=None,
    )
    return lixia


def _article(html: str, commission: Organisation) -> str:
    match = re.search(
        rf'<article class="commission-card" aria-labelledby="commission-{commission.pk}">'
        r"(.*?)</article>",
        html,
        re.S,
    )
    assert match, f"{commission.name} is not listed"
    return match.group(1)


def test_commissions_are_listed_with_address_hours_and_area(client, contacts):
    html = client.get("/commissions/").content.decode()
    lixia = _article(html, contacts)
    assert "济南市历下区龙奥西路 1 号 1 楼大厅" in lixia
    assert "250101" in lixia
    assert 'href="tel:0531-66608888"' in lixia
    assert "周一至周五 9:00—12:00，13:30—17:00" in lixia
    assert "历下区" in lixia
    # No address in the case settings: the seat in the commission register is shown instead.
    assert "济南市历城区山大南路 1 号" in _article(html, commission(LICHENG))
    # The city's commission names the districts and counties of its area.
    jinan = _article(html, commission(JINAN))
    assert "济南市" in jinan
    assert all(county in jinan for county in ("历下区", "历城区", "章丘区", "商河县"))


def test_commissions_are_grouped_by_city_the_citys_own_first(client, contacts):
    groups = client.get("/commissions/").context["groups"]
    codes = [g.division.code for g in groups]
    assert codes[0] == PROVINCE
    assert codes == sorted(codes)
    assert len(codes) == 17  # the province and its 16 cities
    jinan = next(g for g in groups if g.division.code == JINAN)
    areas = [info.area.code for info in jinan.commissions]
    assert areas[0] == JINAN
    assert {LIXIA, LICHENG} <= set(areas)
    assert all(info.area.code.startswith("3701") for info in jinan.commissions)


def test_an_inactive_commission_is_not_listed(client, contacts):
    licheng = commission(LICHENG)
    licheng.is_active = False
    licheng.save(update_fields=["is_active"])
    response = client.get("/commissions/")
    assert f'id="commission-{licheng.pk}"' not in response.content.decode()
    assert f'id="commission-{contacts.pk}"' in response.content.decode()
    assert client.get(f"/commissions/{licheng.pk}/").status_code == 404


def test_a_search_by_county_finds_its_commission_and_its_citys(client, contacts):
    response = client.get("/commissions/", {"q": " 历下 "})
    found = {info.area.code for g in response.context["groups"] for info in g.commissions}
    assert found == {LIXIA, JINAN}
    assert response.context["query"] == "历下"
    assert "<details open>" in response.content.decode()


def test_a_search_that_finds_nothing_says_so(client, province):
    response = client.get("/commissions/", {"q": "不存在的县" * 20})
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert len(response.context["query"]) == public_info.QUERY_MAX
    assert "没有管辖该地名的仲裁委员会" in response.content.decode()


def test_the_directory_reads_the_database_a_fixed_number_of_times(
    province, django_assert_num_queries
):
    # Commissions with their settings and register details; the divisions of their areas; the
    # commissions with open counter times.
    with django_assert_num_queries(3):
        groups = public_info.commission_directory()
    assert sum(len(g.commissions) for g in groups) > 150


def test_book_a_visit_is_offered_where_counter_times_are_open(client, contacts):
    load_demo_appointments()  # Lixia publishes counter times; Licheng has none
    html = client.get("/commissions/").content.decode()
    assert f"/appointments/?commission={contacts.pk}" in _article(html, contacts)
    licheng = commission(LICHENG)
    assert "/appointments/" not in _article(html, licheng)
    detail = client.get(f"/commissions/{contacts.pk}/").content.decode()
    assert f"/appointments/?commission={contacts.pk}" in detail


def test_a_commission_page_shows_where_hearings_are_held(client, institutions, contacts):
    html = client.get(f"/commissions/{contacts.pk}/").content.decode()
    assert "周一至周五 9:00—12:00，13:30—17:00" in html
    assert "历下区仲裁院第一仲裁庭" in html
    assert "齐鲁软件园 C 座 1 楼" in html  # the resident tribunal


def test_only_an_active_commission_has_a_page(client, province):
    department = Organisation.objects.get(division_id=LIXIA, type=Organisation.Type.HRSS_DEPARTMENT)
    assert client.get(f"/commissions/{department.pk}/").status_code == 404
    assert client.get("/commissions/999999/").status_code == 404


def test_how_it_works_cites_the_articles(client, province):
    html = client.get("/how-it-works/").content.decode()
    for article in (
        "《劳动争议调解仲裁法》第二十一条",  # where to apply
        "《劳动争议调解仲裁法》第二十七条",  # one year
        "《劳动人事争议仲裁办案规则》第二十九条",  # what to bring
        "《劳动争议调解仲裁法》第四十三条",  # 45 days
        "《劳动争议调解仲裁法》第四十七条",  # final awards
        "第四十八条、第四十九条、第五十条",  # going to court
        "第五十三条",  # free of charge
    ):
        assert article in html, article
    assert 'href="/roster/"' in html
    assert 'href="/commissions/"' in html


def test_published_awards_are_announced_without_a_dead_link(client, province):
    html = client.get("/how-it-works/").content.decode()
    item = re.search(r"<li>[^<]*(<a [^>]*>)?[^<]*已公开的裁决书.*?</li>", html, re.S)
    assert item and "<a " not in item.group(0)


def test_the_menu_marks_the_current_page(client, province):
    html = client.get("/how-it-works/").content.decode()
    assert '<a href="/how-it-works/" aria-current="page">' in html
    assert '<a href="/commissions/">' in html
    # A commission's page is inside the Commissions section.
    lixia = commission(LIXIA)
    html = client.get(f"/commissions/{lixia.pk}/").content.decode()
    assert '<a href="/commissions/" aria-current="true">' in html


def test_the_home_page_links_the_information_pages(client, province):
    html = client.get("/").content.decode()
    assert 'href="/commissions/"' in html
    assert 'href="/how-it-works/"' in html
    assert 'href="/roster/"' in html


def test_staff_pages_keep_their_own_menu(login, lixia_intake):
    html = login(lixia_intake).get("/staff/").content.decode()
    assert 'class="workspace-nav"' in html
    assert 'class="portal-nav"' not in html
