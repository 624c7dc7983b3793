"""Which mediation organisations a dispute is routed to, in what order, and why."""

import pytest
from django.utils import translation

from zhongcai.cases.tests.factories import EMPLOYER
from zhongcai.mediation import routing
from zhongcai.orgs.institutions import mediation_organisation_create
from zhongcai.orgs.models import MediationDetail, Organisation

pytestmark = pytest.mark.django_db
K = MediationDetail.Kind


def _hrss(code):
    return Organisation.objects.get(division_id=code, type=Organisation.Type.HRSS_DEPARTMENT)


def _org(code, name, kind, area=""):
    return mediation_organisation_create(
        by=None, department=_hrss(code), name=name, short_name="", kind=kind, area=area,
        address="",
    )  # fmt: skip


@pytest.fixture
def orgs(centre):
    """Around a Lixia workplace: the employer's committee (named by credit code), a Lixia street
    office, Jinan's regional centre, an industry committee, a Licheng street office, a closed
    Lixia office and another enterprise's committee."""
    return {
        "centre": centre,
        "enterprise": _org(
            "370102", "示例商贸劳动争议调解委员会", K.ENTERPRISE, EMPLOYER["credit_code"]
        ),
        "street": _org("370102", "泉城路街道劳动争议调解中心", K.TOWNSHIP),
        "city": _org("370100", "济南市劳动人事争议调解中心", K.REGIONAL),
        "industry": _org("370100", "济南市建筑业劳动争议调解委员会", K.INDUSTRY, "建筑业"),
        "licheng": _org("370112", "洪家楼街道调解中心", K.TOWNSHIP),
        "closed": _org("370102", "已撤销的调解中心", K.TOWNSHIP),
        "other_firm": _org("370102", "别家公司调解委员会", K.ENTERPRISE, "91370102MA3C99999X"),
    }


@pytest.fixture
def routed(orgs):
    Organisation.objects.filter(pk=orgs["closed"].pk).update(is_active=False)

    def route(**kwargs):
        return routing.competent_organisations(
            **{"workplace_division": "370102", "employer_credit_code": EMPLOYER["credit_code"],
               "causes": ["remuneration"], **kwargs}
        )  # fmt: skip

    return route


def test_it_puts_the_employers_committee_first_then_nearest_area_then_industry(orgs, routed):
    found = routed()
    assert [s.organisation for s in found] == [
        orgs["enterprise"],
        orgs["street"],  # Lixia: township before the arbitration-centre's mediation centre
        orgs["centre"],
        orgs["city"],  # Jinan
        orgs["industry"],
    ]
    assert [s.basis for s in found] == ["enterprise", "workplace", "workplace", "workplace",
                                        "industry"]  # fmt: skip


def test_each_suggestion_says_why(routed):
    with translation.override("en"):
        reasons = [str(s.reason) for s in routed()]
    assert reasons[0] == "The employer's own enterprise labor-dispute mediation committee"
    assert reasons[1] == "A mediation organisation of the district or county where you work"
    assert reasons[3] == "A mediation organisation of the city where you work"
    assert reasons[4] == "An industry mediation organisation of the place where you work"


def test_inactive_other_enterprises_and_other_counties_are_left_out(orgs, routed):
    found = {s.organisation for s in routed()}
    assert not found & {orgs["closed"], orgs["other_firm"], orgs["licheng"]}


def test_the_committee_is_found_by_the_employers_name_too(orgs, routed):
    named = _org("370102", "济南示例商贸有限公司劳动争议调解委员会", K.ENTERPRISE)
    found = routed(employer_credit_code="", employer_name=EMPLOYER["name"])
    assert found[0].organisation == named
    assert orgs["enterprise"] not in {s.organisation for s in found}  # only its code names it


def test_the_employers_location_comes_after_the_workplace(orgs, routed):
    found = routed(employer_division="370112")
    places = [(s.organisation, s.basis) for s in found if s.basis != "industry"]
    assert places[-1] == (orgs["licheng"], "employer_location")


def test_no_place_given_gives_only_the_employers_committee(orgs, routed):
    found = routed(workplace_division=None)
    assert [s.organisation for s in found] == [orgs["enterprise"]]
    assert routed(workplace_division=None, employer_credit_code="") == []
