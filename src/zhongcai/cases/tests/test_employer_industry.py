"""The employer's industry (GB/T 4754 section) and registration type: recorded by intake staff
on the counter form, refused on a natural person or with a value not in the lists."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.utils import translation

from zhongcai.cases import services
from zhongcai.cases.application import clean_application
from zhongcai.cases.forms import PartyForm, RespondentForm
from zhongcai.cases.industries import industry_choices, sections
from zhongcai.cases.models import Case, Party

from .factories import EMPLOYER, WORKER, application, draft
from .test_views import form_data

CLASSIFIED = {**EMPLOYER, "industry": "C", "registration_type": "private"}
NO_DIVISIONS = [("", "—")]


def respondent(case: Case) -> Party:
    return case.parties.get(role=Party.Role.RESPONDENT)


def test_the_sections_are_the_twenty_of_gbt_4754_2017():
    assert list(sections()) == list("ABCDEFGHIJKLMNOPQRST")
    assert sections()["C"] == "制造业"
    assert sections()["T"] == "国际组织"
    assert industry_choices()[0] == ("A", "A 农、林、牧、渔业")
    assert dict(Party._meta.get_field("industry").choices) == dict(industry_choices())


def test_the_form_takes_both_values_for_an_employer():
    form = RespondentForm(
        {"kind": "employer", "name": "某公司", "industry": "F", "registration_type": "foreign"},
        divisions=NO_DIVISIONS,
    )
    assert form.is_valid(), form.errors
    data = form.to_data()
    assert (data["industry"], data["registration_type"]) == ("F", "foreign")
    assert "industry" in [f.name for f in form.employer_fields()]


def test_the_form_refuses_a_value_not_in_the_lists_with_a_clear_message():
    with translation.override("en"):
        form = RespondentForm(
            {"kind": "employer", "name": "某公司", "industry": "Z", "registration_type": "state"},
            divisions=NO_DIVISIONS,
        )
        assert not form.is_valid()
        assert form.errors["industry"] == ["Choose a section of GB/T 4754 from the list."]
        assert form.errors["registration_type"] == ["Choose a registration type from the list."]


def test_the_form_drops_what_the_hidden_employer_fields_hold_for_a_worker():
    # The fields are hidden once the kind is switched to worker; what they held is not kept.
    form = PartyForm(
        {"kind": "worker", "name": "王秀英", "industry": "C", "registration_type": "private"},
        divisions=NO_DIVISIONS,
    )
    assert form.is_valid(), form.errors
    assert (form.to_data()["industry"], form.to_data()["registration_type"]) == ("", "")


@pytest.mark.django_db
def test_clean_application_refuses_them_on_a_natural_person(province):
    data = application(parties=[{**WORKER, "industry": "C", "registration_type": "private"}])
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        clean_application(data)
    errors = exc.value.message_dict
    message = "Only an employer has an industry and a registration type."
    assert errors["parties.0.industry"] == [message]
    assert errors["parties.0.registration_type"] == [message]


@pytest.mark.django_db
def test_clean_application_refuses_unknown_values_and_takes_blank_ones(province):
    bad = application(parties=[WORKER, {**EMPLOYER, "industry": "c", "registration_type": "x"}])
    with pytest.raises(ValidationError) as exc:
        clean_application(bad)
    assert set(exc.value.message_dict) == {"parties.1.industry", "parties.1.registration_type"}
    blank = application(parties=[WORKER, {**EMPLOYER, "industry": "", "registration_type": ""}])
    party, _agents = clean_application(blank).parties[1]
    assert (party["industry"], party["registration_type"]) == ("", "")


@pytest.mark.django_db
def test_the_counter_page_records_them_and_the_case_page_shows_them(login, lixia_intake):
    client = login(lixia_intake)
    data = form_data(application(parties=[WORKER, CLASSIFIED]))
    response = client.post(reverse("cases:case-create"), data)
    assert response.status_code == 302
    case = Case.objects.get(pk=resolve(response.url).kwargs["pk"])
    assert (respondent(case).industry, respondent(case).registration_type) == ("C", "private")
    page = client.get(reverse("cases:case-detail", args=[case.pk]))
    assert "C 制造业" in page.content.decode()


@pytest.mark.django_db
def test_the_edit_page_offers_what_was_recorded(login, lixia_intake):
    case = draft(lixia_intake, parties=[WORKER, CLASSIFIED])
    page = login(lixia_intake).get(reverse("cases:case-edit", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="C" selected lang="zh-Hans">' in html
    assert '<option value="private" selected>' in html


@pytest.mark.django_db
def test_a_bad_value_on_the_page_is_refused_and_nothing_is_written(login, lixia_intake):
    before = Case.objects.count()
    data = form_data(application(parties=[WORKER, {**CLASSIFIED, "industry": "Z"}]))
    response = login(lixia_intake).post(reverse("cases:case-create"), data)
    assert response.status_code == 200
    assert "industry" in response.context["forms"].parties[1][1].forms[0].errors
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_a_natural_person_recorded_through_the_service_is_refused(lixia_intake):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as exc:
        draft(lixia_intake, parties=[{**WORKER, "industry": "C"}, EMPLOYER])
    assert "parties.0.industry" in exc.value.message_dict
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_data_without_the_fields_keeps_what_staff_recorded(lixia_intake):
    # The online application and a mediation's data do not carry them: a change made with such
    # data leaves the staff's record alone; the counter form, which does carry them, may clear.
    case = draft(lixia_intake, parties=[WORKER, CLASSIFIED])
    case = services.case_update_application(by=lixia_intake, case=case, data=application())
    assert (respondent(case).industry, respondent(case).registration_type) == ("C", "private")
    cleared = application(parties=[WORKER, {**EMPLOYER, "industry": "", "registration_type": ""}])
    case = services.case_update_application(by=lixia_intake, case=case, data=cleared)
    assert (respondent(case).industry, respondent(case).registration_type) == ("", "")
