"""The pool's pages: mediators and profiles, training, figures, guides, and the steps of the
case page's pool panel."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from zhongcai.accounts.models import Role, User
from zhongcai.mediation import guides, services, views_pool
from zhongcai.mediation.models import (
    Feedback,
    Guide,
    MediationCase,
    MediatorChangeRequest,
    MediatorProfile,
    Status,
)
from zhongcai.mediation.tests.conftest import apply_online
from zhongcai.orgs.models import TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(centre):
    return User.objects.create_user(
        username="centre_head", password="x", role=Role.INSTITUTE_HEAD, organisation=centre
    )


@pytest.fixture
def accepted(worker_demo, lixia_mediator, centre, mediators):
    case = apply_online(worker_demo, centre)
    return services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)


def url(name, *args):
    return reverse(f"mediation:{name}", args=args)


def test_anonymous_users_are_sent_to_log_in(client, mediating):
    for target in (
        url("pool-mediators"),
        url("pool-figures"),
        url("pool-guides"),
        reverse("mediation-portal:pool-feedback", args=[mediating.pk]),
    ):
        response = client.get(target)
        assert response.status_code == 302 and "login" in response["Location"], target


def test_the_pool_page_lists_the_organisations_mediators_only(
    login, lixia_mediator, licheng_mediator, mediators
):
    MediatorProfile.objects.create(person=mediators[0], languages=["粤语"], max_load=3)
    page = login(lixia_mediator).get(url("pool-mediators")).content.decode()
    assert "刘芳" in page and "粤语" in page and "0 / 3" in page
    page = login(licheng_mediator).get(url("pool-mediators")).content.decode()
    assert "刘芳" not in page


def test_the_public_and_other_staff_may_not_use_the_pool_pages(login, worker_demo, lixia_intake):
    assert login(worker_demo).get(url("pool-mediators")).status_code == 403
    assert login(lixia_intake).get(url("pool-mediators")).status_code == 403


def test_profiles_are_edited_by_the_head_or_the_mediator_themself(
    login, head, lixia_mediator, licheng_mediator, mediators
):
    liu = mediators[0]
    target = url("pool-profile", liu.pk)
    assert login(licheng_mediator).get(target).status_code == 404
    assert login(lixia_mediator).get(target).status_code == 403  # not their own
    client = login(head)
    assert client.get(target).status_code == 200
    bad = client.post(target, {"max_load": "0", "available": "on"})
    assert bad.status_code == 400
    assert not MediatorProfile.objects.filter(person=liu).exists()
    response = client.post(
        target,
        {
            "specialties": ["remuneration", "work_injury"],
            "languages": "粤语，English",
            "available": "on",
            "unavailable_until": "2026-03-10",
            "max_load": "5",
        },
    )
    assert response.status_code == 302
    profile = MediatorProfile.objects.get(person=liu)
    assert (profile.specialties, profile.languages, profile.max_load) == (
        ["remuneration", "work_injury"],
        ["粤语", "English"],
        5,
    )
    liu.user = lixia_mediator
    liu.save()
    response = login(lixia_mediator).post(target, {"max_load": "4"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.max_load, profile.available) == (4, False)


def test_the_head_records_training(login, head, lixia_mediator, licheng_mediator, mediators):
    target = url("pool-training", mediators[1].pk)
    data = {"completed_on": "2026-01-15", "hours": "6", "course": "调解技巧", "provider": "市局"}
    assert login(licheng_mediator).post(target, data).status_code == 404
    assert login(lixia_mediator).post(target, data).status_code == 403
    assert login(lixia_mediator).get(target).status_code == 200
    assert login(head).post(target, data).status_code == 302
    record = TrainingRecord.objects.get(person=mediators[1])
    assert (record.hours, record.course) == (6, "调解技巧")
    assert login(head).post(target, {**data, "hours": "500"}).status_code == 400


def test_the_figures_page_shows_definitions_and_no_data(login, lixia_mediator, mediators):
    response = login(lixia_mediator).get(
        url("pool-figures"), {"start": "2025-01-01", "end": "2025-03-31"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "刘芳" in page
    assert "%" not in page.split("figures-table")[0].split("<dl")[1]


def test_guides_reach_the_organisation_and_those_below_the_author_only(
    login, lixia_mediator, licheng_mediator, lixia_admin, province_admin, head
):
    own = guides.guide_create(
        by=head,
        values={
            "kind": "script",
            "title": "欠薪调解话术",
            "causes": ["remuneration"],
            "body": "先听",
        },
    )
    from_province = guides.guide_create(
        by=province_admin,
        values={"kind": "model_agreement", "title": "调解协议书范本", "body": "甲方乙方"},
    )
    from_lixia_department = guides.guide_create(
        by=lixia_admin, values={"kind": "checklist", "title": "受理清单", "body": "一、二"}
    )
    lixia = set(guides.guides_for(lixia_mediator))
    assert lixia == {own, from_province, from_lixia_department}
    licheng = set(guides.guides_for(licheng_mediator))
    assert licheng == {from_province}
    assert login(licheng_mediator).get(url("pool-guide", own.pk)).status_code == 404
    page = login(lixia_mediator).get(url("pool-guides"), {"cause": "remuneration"})
    assert "欠薪调解话术" in page.content.decode()
    assert "受理清单" not in page.content.decode()
    # Only the author's organisation edits it; a department does not edit a centre's guide.
    assert login(lixia_admin).get(url("pool-guide-edit", own.pk)).status_code == 403
    assert login(lixia_mediator).get(url("pool-guide-edit", from_province.pk)).status_code == 403


def test_a_guide_is_written_edited_and_withdrawn(login, lixia_mediator, head):
    client = login(lixia_mediator)
    response = client.post(url("pool-guide-create"), {"kind": "script", "title": "", "body": ""})
    assert response.status_code == 400
    assert not Guide.objects.exists()
    response = client.post(
        url("pool-guide-create"),
        {
            "kind": "checklist",
            "title": "工伤调解清单",
            "causes": ["work_injury"],
            "body": "1. 认定书",
        },
    )
    guide = Guide.objects.get()
    assert response["Location"] == url("pool-guide", guide.pk)
    client.post(
        url("pool-guide-edit", guide.pk),
        {"kind": "checklist", "title": "工伤调解清单（修订）", "body": "1. 认定书\n2. 鉴定"},
    )
    guide.refresh_from_db()
    assert guide.title == "工伤调解清单（修订）" and guide.causes == []
    client.post(url("pool-guide-active", guide.pk), {"active": "0"})
    guide.refresh_from_db()
    assert not guide.is_active
    assert guide in guides.guides_for(head)  # the authors still see it, marked withdrawn
    assert client.get(url("pool-guide", guide.pk)).status_code == 200
    assert login(head).get(url("pool-guides")).status_code == 200


def test_staff_draw_and_choose_from_the_panel(login, accepted, lixia_mediator, mediators):
    client = login(lixia_mediator)
    response = client.post(
        url("pool-choose", accepted.pk), {"person": mediators[1].pk, "applicant_consents": "on"}
    )
    assert response.status_code == 400
    assert MediationCase.objects.get(pk=accepted.pk).status == Status.ACCEPTED
    response = client.post(url("pool-draw", accepted.pk), {"language": ""})
    assert response.status_code == 302
    assert MediationCase.objects.get(pk=accepted.pk).status == Status.MEDIATING
    assert client.get(url("pool-draw", accepted.pk)).status_code == 405


def test_another_organisations_mediator_gets_404_on_the_case_steps(
    login, accepted, licheng_mediator
):
    client = login(licheng_mediator)
    assert client.post(url("pool-draw", accepted.pk)).status_code == 404
    assert client.post(url("pool-conflict", accepted.pk), {"reason": "x"}).status_code == 404


def test_a_party_asks_for_another_mediator_and_sees_the_refusal(
    login, mediating, worker_demo, employer_demo, lixia_mediator
):
    target = reverse("mediation-portal:pool-request", args=[mediating.pk])
    assert login(employer_demo).post(target, {"reason": "换人"}).status_code == 404
    assert login(worker_demo).post(target, {"reason": ""}).status_code == 400
    assert login(worker_demo).post(target, {"reason": "调解员偏颇"}).status_code == 302
    request = MediatorChangeRequest.objects.get()
    response = login(lixia_mediator).post(
        url("pool-decide", request.pk), {"decision": "refuse", "note": ""}
    )
    assert response.status_code == 400
    login(lixia_mediator).post(
        url("pool-decide", request.pk), {"decision": "refuse", "note": "理由不足"}
    )
    request.refresh_from_db()
    assert request.granted is False
    html = panel(worker_demo, mediating)
    assert "理由不足" in html


def test_feedback_from_the_party_page(login, mediating, worker_demo, lixia_mediator):
    target = reverse("mediation-portal:pool-feedback", args=[mediating.pk])
    assert login(worker_demo).post(target, {"score": "5"}).status_code == 400  # not ended
    services.mediation_fail(by=lixia_mediator, case=mediating, reason="差距过大")
    assert login(worker_demo).post(target, {"score": "4", "comment": "耐心"}).status_code == 302
    assert Feedback.objects.get().score == 4
    assert login(worker_demo).post(target, {"score": "5"}).status_code == 400


def panel(user, case, **extra):
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "case": MediationCase.objects.get(pk=case.pk),
        "user": user,
        "is_staff_view": not user.is_public,
        "party": None,
        "request": request,
        **views_pool.panel_context(request, case),
        **extra,
    }
    return render_to_string("mediation/_panel_pool.html", context, request=request)


def test_the_panel_shows_parties_whom_they_may_choose_and_staff_the_steps(
    accepted, worker_demo, lixia_mediator, mediators
):
    MediatorProfile.objects.create(
        person=mediators[0], specialties=["remuneration"], languages=["粤语"]
    )
    html = panel(worker_demo, accepted)
    assert "刘芳" in html and "粤语" in html
    assert "id_number" not in html and "mobile" not in html
    html = panel(lixia_mediator, accepted)
    assert url("pool-draw", accepted.pk) in html and url("pool-choose", accepted.pk) in html


def test_it_keeps_the_profile_defaults_without_a_profile(mediators):
    from zhongcai.mediation import profiles as pool

    profile = pool.profile_of(mediators[0])
    assert (profile.available, profile.specialties, profile.max_load) == (True, [], 10)
    assert pool.is_available(profile, date(2026, 3, 1))


def test_the_case_pages_carry_the_pool_panel(login, accepted, worker_demo, lixia_mediator):
    staff_page = login(lixia_mediator).get(url("room-case", accepted.pk)).content.decode()
    assert url("pool-draw", accepted.pk) in staff_page
    party_page = login(worker_demo).get(reverse("mediation-portal:room-case", args=[accepted.pk]))
    assert party_page.status_code == 200
    assert "刘芳" in party_page.content.decode()
