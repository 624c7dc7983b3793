"""The province dashboard in Debian's Chromium: the map of the counties is drawn from the npm
package's shapes, a click on a county lands on that county's cases, and a new case shows up in
the figures within the refresh, without a reload.

Screenshots land in test-artifacts/ for a person to look at.
"""

import re

import pytest
import test_browser
from test_browser import _shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The same Chromium as the other browser tests.
browser = test_browser.browser


@pytest.fixture
def lixia_cases(institutions, lixia_intake, lixia_head):
    """Two cases accepted in Lixia this year, their figures written as their events commit."""
    from zhongcai.cases.tests import factories

    return [
        factories.accepted(lixia_intake, lixia_head, **factories.tribunal_fresh_parties(i))
        for i in (1, 2)
    ]


@pytest.fixture
def page(browser, live_server, lixia_cases):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = live_server.url
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "province_admin")
    page.fill("#id_password", "demo12345")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    yield page
    context.close()


def _click_county(page, code):
    """Clicks the middle of a county's shape on the ECharts map (a canvas, so by position)."""
    point = page.evaluate(
        """(code) => {
            const chart = echarts.getInstanceByDom(document.getElementById('chart-map'));
            const series = chart.getModel().getSeriesByIndex(0);
            const region = series.coordinateSystem.getRegion(code);
            const xy = chart.convertToPixel({seriesIndex: 0}, region.getCenter());
            const box = document.getElementById('chart-map').getBoundingClientRect();
            return {x: box.left + xy[0], y: box.top + xy[1]};
        }""",
        code,
    )
    page.mouse.click(point["x"], point["y"])


def test_a_click_on_a_county_lands_on_its_cases(page, lixia_cases):
    page.goto(page.base_url + "/staff/monitoring/")
    # The map is drawn once its shapes have come: every county of Shandong is a region.
    page.wait_for_function(
        """() => {
            const node = document.getElementById('chart-map');
            const chart = node && window.echarts && echarts.getInstanceByDom(node);
            const series = chart && chart.getModel().getSeriesByIndex(0);
            const map = series && series.coordinateSystem;
            return map && map.regions.length > 130;
        }"""
    )
    counties = page.locator("#table-counties").inner_text()
    assert "历下区" in counties
    _shoot(page, "dashboard-province-zh")

    _click_county(page, "370102")
    page.wait_for_url(re.compile(r"/staff/monitoring/cases/\?.*division=370102"))
    listed = page.locator("#cases-behind tbody").inner_text()
    for case in lixia_cases:
        case.refresh_from_db()
        assert case.case_number in listed
    assert "历下" in page.locator("h1").inner_text()
    _shoot(page, "dashboard-lixia-cases-zh")


def test_a_new_case_appears_without_a_reload(page, lixia_intake, lixia_head):
    from zhongcai.cases.tests import factories

    page.goto(page.base_url + "/staff/monitoring/?period=month")
    tile = page.locator(".stat-tiles li").first.locator(".number")
    before = int(tile.inner_text())
    factories.accepted(lixia_intake, lixia_head, **factories.tribunal_fresh_parties(3))
    # HTMX fetches the figures again every 30 seconds; the page is never reloaded.
    page.evaluate("window.__marker = 'same page'")
    page.wait_for_function(
        "(n) => Number(document.querySelector('.stat-tiles li .number').textContent) === n",
        arg=before + 1,
        timeout=45_000,
    )
    assert page.evaluate("window.__marker") == "same page"
