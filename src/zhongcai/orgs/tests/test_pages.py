"""Every institutions page renders for the administrator who maintains it, in both languages."""

import pytest
from django.urls import reverse

from zhongcai.demo.institutions import load_demo_institutions
from zhongcai.orgs.models import (
    CommissionMember,
    HearingRoom,
    Organisation,
    Person,
    QuarterSubmission,
    Tribunal,
)

from .factories import commission

pytestmark = [pytest.mark.django_db, pytest.mark.urls("zhongcai.orgs.tests.urls")]


@pytest.fixture
def demo(province):
    load_demo_institutions()


def _urls():
    lixia = commission()
    person = Person.objects.get(name="孙海燕")
    mediation = Organisation.objects.get(division_id="370102", type="mediation_organisation")
    member = CommissionMember.objects.filter(commission=lixia).first()
    tribunal = Tribunal.objects.filter(commission=lixia).first()
    room = HearingRoom.objects.filter(commission=lixia).first()
    return [
        reverse("institutions:commission-list") + "?q=历下",
        reverse("institutions:commission-detail", args=[lixia.pk]),
        reverse("institutions:commission-edit", args=[lixia.pk]),
        reverse("institutions:member-add", args=[lixia.pk]),
        reverse("institutions:member-edit", args=[member.pk]),
        reverse("institutions:tribunal-add", args=[lixia.pk]),
        reverse("institutions:tribunal-edit", args=[tribunal.pk]),
        reverse("institutions:room-add", args=[lixia.pk]),
        reverse("institutions:room-edit", args=[room.pk]),
        reverse("institutions:mediation-list"),
        reverse("institutions:mediation-create"),
        reverse("institutions:mediation-detail", args=[mediation.pk]),
        reverse("institutions:mediation-edit", args=[mediation.pk]),
        reverse("institutions:person-list")
        + f"?organisation={lixia.pk}&kind=arbitrator&status=in_office",
        reverse("institutions:person-create", args=[lixia.pk]),
        reverse("institutions:person-create", args=[mediation.pk]),
        reverse("institutions:person-detail", args=[person.pk]),
        reverse("institutions:person-edit", args=[person.pk]),
        reverse("institutions:training-add", args=[person.pk]),
        reverse("institutions:assessment-add", args=[person.pk]),
        reverse("institutions:appointment-end", args=[person.appointments.get().pk]),
        reverse("institutions:import-start"),
        reverse("institutions:import-template"),
        reverse("institutions:verification") + "?quarter=2026-3&state=approved",
        reverse("institutions:submission-create", args=[lixia.pk]),
        reverse("institutions:submission-detail", args=[QuarterSubmission.objects.first().pk]),
        reverse("institutions:performance") + "?view=arbitrators",
        reverse("institutions:performance-export"),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_renders_for_the_county_administrator(demo, login, lixia_admin, language):
    client = login(lixia_admin)
    client.cookies["django_language"] = language
    for url in _urls():
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_public_roster_renders_in_both_languages(demo, client):
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        assert client.get(reverse("roster:roster") + "?city=370100").status_code == 200
