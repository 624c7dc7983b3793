"""The intake officer records the employer's industry and registration type when accepting: an
online application seldom says them, and the statistics break cases down by them (spec §7.2)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhongcai.cases import services
from zhongcai.cases.models import Case, Party, Status
from zhongcai.cases.views.detail import ACTION_URLS
from zhongcai.core.events import events_of

from .factories import received

pytestmark = pytest.mark.django_db


def _employer(case):
    return services.statistical_employer(Case.objects.get(pk=case.pk))


def test_accepting_records_the_employers_class(lixia_intake, lixia_head):
    case = received(lixia_intake)
    services.case_accept(
        by=lixia_head, case=case, warnings_acknowledged=True,
        employer_industry="E", employer_registration_type="private",
    )  # fmt: skip
    employer = _employer(case)
    assert (employer.industry, employer.registration_type) == ("E", "private")
    accepted = events_of(case).get(kind="case.accepted")
    assert accepted.payload["employer"] == {
        "party": employer.pk,
        "industry": "E",
        "registration_type": "private",
    }


def test_a_bad_value_refuses_the_acceptance_and_changes_nothing(lixia_intake, lixia_head):
    case = received(lixia_intake)
    with pytest.raises(ValidationError) as refused:
        services.case_accept(
            by=lixia_head, case=case, warnings_acknowledged=True, employer_industry="Z"
        )
    assert "employer_industry" in refused.value.error_dict
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and not case.case_number
    assert _employer(case).industry == ""


def test_not_saying_leaves_what_was_recorded(lixia_intake, lixia_head):
    case = received(lixia_intake)
    Party.objects.filter(case=case, kind=Party.Kind.EMPLOYER).update(industry="C")
    services.case_accept(by=lixia_head, case=case, warnings_acknowledged=True)
    assert _employer(case).industry == "C"


def test_the_accept_form_offers_and_saves_them(login, lixia_intake, lixia_head):
    case = received(lixia_intake)
    client = login(lixia_head)
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert 'name="employer_industry"' in page and 'name="employer_registration_type"' in page
    url = reverse(ACTION_URLS["accept"], args=[case.pk])
    bad = client.post(url, {"warnings_acknowledged": "on", "employer_industry": "Z"})
    assert bad.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED
    good = client.post(
        url,
        {"warnings_acknowledged": "on", "employer_industry": "P",
         "employer_registration_type": "social"},
    )  # fmt: skip
    assert good.status_code == 302
    assert (_employer(case).industry, _employer(case).registration_type) == ("P", "social")


def test_a_post_without_the_fields_keeps_what_intake_recorded(login, lixia_intake, lixia_head):
    case = received(lixia_intake)
    Party.objects.filter(case=case, kind=Party.Kind.EMPLOYER).update(
        industry="C", registration_type="private"
    )
    url = reverse(ACTION_URLS["accept"], args=[case.pk])
    assert login(lixia_head).post(url, {"warnings_acknowledged": "on"}).status_code == 302
    employer = _employer(case)
    assert (employer.industry, employer.registration_type) == ("C", "private")
    assert "employer" not in events_of(case).get(kind="case.accepted").payload


def test_after_acceptance_the_class_is_corrected_with_an_event(login, lixia_intake, lixia_head):
    from .factories import accepted

    case = accepted(lixia_intake, lixia_head)
    client = login(lixia_intake)
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    url = reverse("cases:case-employer-classify", args=[case.pk])
    assert f'action="{url}"' in page
    client.post(url, {"employer_industry": "E", "employer_registration_type": "private"})
    assert _employer(case).industry == "E"
    client.post(url, {"employer_industry": "F", "employer_registration_type": "private"})
    changes = events_of(case).filter(kind="case.employer_classified")
    assert [e.payload["after"]["industry"] for e in changes] == ["E", "F"]
    assert changes.last().payload["before"]["industry"] == "E"
    client.post(url, {"employer_industry": "Z"})  # refused, said, nothing written
    assert _employer(case).industry == "F"
    assert changes.count() == 2


def test_classifying_is_for_the_institute_and_after_acceptance(
    login, lixia_intake, lixia_head, licheng_intake, lixia_arbitrator
):
    from .factories import accepted

    waiting = received(lixia_intake)
    with pytest.raises(ValidationError):
        services.employer_classify(
            by=lixia_intake, case=waiting, industry="E", registration_type=None
        )
    case = accepted(lixia_intake, lixia_head)
    url = reverse("cases:case-employer-classify", args=[case.pk])
    assert login(licheng_intake).post(url, {"employer_industry": "E"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.employer_classify(
            by=lixia_arbitrator, case=case, industry="E", registration_type=None
        )
    assert _employer(case).industry == ""
