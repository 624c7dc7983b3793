"""Quarterly verification: frozen snapshots, the diff, and who decides, through the pages."""

import copy
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhongcai.core.events import consistency_problems, events_of
from zhongcai.orgs import institutions, people, snapshots, verification
from zhongcai.orgs.models import (
    CommissionMember,
    EndReason,
    QuarterDecision,
    QuarterSubmission,
    RosterEntry,
)

from .factories import approved_quarter, arbitrator, commission

pytestmark = [pytest.mark.django_db, pytest.mark.urls("zhongcai.orgs.tests.urls")]
S = QuarterSubmission.Status


@pytest.fixture(autouse=True)
def _in_the_third_quarter_of_2026():
    with time_machine.travel(date(2026, 8, 20), tick=False):
        yield


def _submit(by, code="370102", quarter=(2026, 3)):
    return verification.quarter_submit(
        by=by, commission=commission(code), year=quarter[0], quarter=quarter[1]
    )


def _decide(client, submission, outcome, comment=""):
    return client.post(
        reverse("institutions:submission-decide", args=[submission.pk]),
        {"outcome": outcome, "comment": comment},
    )


# --- Snapshots and the diff -------------------------------------------------------------------


def test_an_approved_snapshot_stays_identical_whatever_is_edited_afterwards(
    lixia_admin, jinan_admin, province_admin
):
    person = arbitrator(by=lixia_admin, name="林晓东")
    member = institutions.member_add(
        by=lixia_admin,
        commission=commission(),
        name="王立新",
        category="labor_administration",
        position="chair",
        unit="",
    )
    submission = approved_quarter(
        commission(), submitter=lixia_admin, city=jinan_admin, province=province_admin
    )
    frozen = copy.deepcopy(submission.snapshot)

    people.person_update(
        by=lixia_admin,
        person=person,
        values={"name": "林晓冬", "sex": "male", "employment": "full_time", "unit": "",
                "id_number": person.id_number, "qualification_route": "lawyer"},
    )  # fmt: skip
    institutions.member_end(by=lixia_admin, member=member)
    people.appointment_end(
        by=lixia_admin, appointment=person.appointments.get(), reason=EndReason.RESIGNED
    )

    submission.refresh_from_db()
    assert submission.snapshot == frozen
    assert submission.status == S.APPROVED
    assert snapshots.digest_of(submission.snapshot) == submission.snapshot_digest
    assert frozen["sections"]["people"][str(person.pk)]["name"] == "林晓东"
    assert list(consistency_problems()) == []


def test_a_change_to_a_stored_snapshot_is_detected(lixia_admin):
    submission = _submit(lixia_admin)
    QuarterSubmission.objects.filter(pk=submission.pk).update(
        snapshot={**submission.snapshot, "checks": []}
    )
    assert any(str(submission.pk) in p for p in consistency_problems())


def test_the_diff_shows_additions_removals_and_changed_fields(
    lixia_admin, jinan_admin, province_admin, login
):
    stays = arbitrator(by=lixia_admin, name="林晓东", unit="甲律师事务所")
    leaves = arbitrator(by=lixia_admin, name="郑伟")
    approved_quarter(commission(), submitter=lixia_admin, city=jinan_admin, province=province_admin)

    people.person_update(
        by=lixia_admin,
        person=stays,
        values={"name": "林晓东", "sex": "male", "employment": "part_time",
                "unit": "乙律师事务所", "id_number": stays.id_number,
                "qualification_route": "former_judge"},
    )  # fmt: skip
    people.appointment_end(
        by=lixia_admin, appointment=leaves.appointments.get(), reason=EndReason.POST_CHANGED
    )
    arbitrator(by=lixia_admin, name="何静")
    with time_machine.travel(date(2026, 10, 9), tick=False):
        submission = _submit(lixia_admin, quarter=(2026, 4))

    sections = {s.code: s for s in snapshots.diff(submission.base.snapshot, submission.snapshot)}
    diff = sections["people"]
    assert [i.title for i in diff.added] == ["何静 · Arbitrator"]
    assert [i.title for i in diff.removed] == ["郑伟 · Arbitrator"]
    [changed] = diff.changed
    assert {(c.label, c.before, c.after) for c in changed.changes} == {
        ("Unit", "甲律师事务所", "乙律师事务所"),
        ("Qualification", "Practising lawyer for 3 years or more", "Former judge"),
    }

    page = login(jinan_admin).get(reverse("institutions:submission-detail", args=[submission.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "何静" in html and "郑伟" in html
    assert "<del>甲律师事务所</del>" in html and "<ins>乙律师事务所</ins>" in html


def test_the_first_submission_shows_every_record_as_added(lixia_admin):
    arbitrator(by=lixia_admin, name="林晓东")
    submission = _submit(lixia_admin)
    assert submission.base is None
    people_diff = {s.code: s for s in snapshots.diff(None, submission.snapshot)}["people"]
    assert [i.title for i in people_diff.added] == ["林晓东 · Arbitrator"]


def test_the_snapshot_records_the_composition_and_staffing_checks(lixia_admin):
    for name, position in (("甲", "chair"), ("乙", "member")):
        institutions.member_add(
            by=lixia_admin,
            commission=commission(),
            name=name,
            category=CommissionMember.Category.UNION,
            position=position,
            unit="",
        )
    checks = " ".join(_submit(lixia_admin).snapshot["checks"])
    assert "odd number" in checks
    assert "Labor administration" in checks  # not represented
    assert "full-time arbitrators" in checks
    assert "case assistants" in checks


# --- Workflow -------------------------------------------------------------------------------


def test_a_county_quarter_goes_city_then_province_and_publishes_the_roster(
    lixia_admin, jinan_admin, province_admin, login
):
    person = arbitrator(by=lixia_admin)
    submission = _submit(lixia_admin)
    assert submission.status == S.SUBMITTED

    response = _decide(login(jinan_admin), submission, "forwarded")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == S.REVIEWED
    assert not RosterEntry.objects.exists()

    response = _decide(login(province_admin), submission, "approved")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == S.APPROVED
    assert RosterEntry.objects.get().appointment.person == person
    assert [e.kind for e in events_of(submission)] == [
        "verification.submitted",
        "verification.forwarded",
        "verification.approved",
    ]
    assert list(submission.decisions.values_list("step", "outcome")) == [
        (QuarterDecision.Step.CITY_REVIEW, QuarterDecision.Outcome.FORWARDED),
        (QuarterDecision.Step.PROVINCE_APPROVAL, QuarterDecision.Outcome.APPROVED),
    ]


def test_a_county_administrator_cannot_approve_its_own_submission(lixia_admin, login):
    submission = _submit(lixia_admin)
    client = login(lixia_admin)
    page = client.get(reverse("institutions:submission-detail", args=[submission.pk]))
    assert page.status_code == 200
    assert 'name="outcome"' not in page.content.decode()
    assert _decide(client, submission, "approved").status_code == 403
    assert _decide(client, submission, "forwarded").status_code == 403
    submission.refresh_from_db()
    assert submission.status == S.SUBMITTED


def test_nobody_approves_their_own_submission_even_at_the_province(
    province_admin, province_admin2, login
):
    submission = _submit(province_admin, code="370000")
    assert _decide(login(province_admin), submission, "approved").status_code == 403
    with pytest.raises(PermissionDenied, match="本人报送"):
        verification.quarter_decide(by=province_admin, submission=submission, outcome="approved")
    assert _decide(login(province_admin2), submission, "approved").status_code == 302


def test_a_city_reviews_only_its_own_counties(lixia_admin, shinan_admin, qingdao_admin, login):
    lixia = _submit(lixia_admin)
    shinan = _submit(shinan_admin, code="370202")
    qingdao = login(qingdao_admin)

    # Another city's county is not even visible.
    assert (
        qingdao.get(reverse("institutions:submission-detail", args=[lixia.pk])).status_code == 404
    )
    assert _decide(qingdao, lixia, "forwarded").status_code == 404
    # Its own county it reviews.
    assert _decide(qingdao, shinan, "forwarded").status_code == 302


def test_a_city_does_not_review_its_own_commission_which_goes_to_the_province(
    jinan_admin, province_admin, login
):
    submission = _submit(jinan_admin, code="370100")
    client = login(jinan_admin)
    assert _decide(client, submission, "forwarded").status_code == 403
    assert _decide(login(province_admin), submission, "approved").status_code == 302


def test_the_city_cannot_approve_in_place_of_the_province(lixia_admin, jinan_admin, login):
    submission = _submit(lixia_admin)
    client = login(jinan_admin)
    assert _decide(client, submission, "approved").status_code == 400  # not an offered choice
    _decide(client, submission, "forwarded")
    assert _decide(client, submission, "approved").status_code == 403


def test_returning_needs_a_comment_and_allows_a_new_submission(lixia_admin, jinan_admin, login):
    submission = _submit(lixia_admin)
    client = login(jinan_admin)
    response = _decide(client, submission, "returned")
    assert response.status_code == 400
    assert "comment" in response.context["form"].errors
    _decide(client, submission, "returned", "请补充派驻仲裁庭地址")
    submission.refresh_from_db()
    assert submission.status == S.RETURNED
    again = _submit(lixia_admin)
    assert again.status == S.SUBMITTED
    assert QuarterSubmission.objects.filter(commission=commission()).count() == 2


def test_a_quarter_is_submitted_once(lixia_admin):
    _submit(lixia_admin)
    with pytest.raises(ValidationError, match="already"):
        _submit(lixia_admin)


def test_only_the_quarter_just_ended_or_the_current_one_can_be_submitted(lixia_admin):
    with pytest.raises(ValidationError):
        _submit(lixia_admin, quarter=(2026, 1))
    with pytest.raises(ValidationError):
        _submit(lixia_admin, quarter=(2026, 4))
    assert _submit(lixia_admin, quarter=(2026, 2)).quarter == 2


def test_a_county_cannot_submit_another_countys_quarter(lixia_admin, login):
    response = login(lixia_admin).post(
        reverse("institutions:submission-create", args=[commission("370112").pk]),
        {"quarter": "2026-3"},
    )
    assert response.status_code == 404
    assert not QuarterSubmission.objects.exists()


def test_submitting_through_the_page_shows_the_preview_then_the_submission(lixia_admin, login):
    arbitrator(by=lixia_admin, name="林晓东")
    client = login(lixia_admin)
    url = reverse("institutions:submission-create", args=[commission().pk])
    preview = client.get(url)
    assert "林晓东" in preview.content.decode()
    response = client.post(url, {"quarter": "2026-3", "note": "本季度新聘兼职仲裁员一名"})
    submission = QuarterSubmission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("institutions:submission-detail", args=[submission.pk])
    assert submission.submitted_by == lixia_admin


def test_the_dashboard_shows_who_has_not_submitted_and_who_waits_for_whom(
    lixia_admin, jinan_admin, login, django_assert_max_num_queries
):
    _submit(lixia_admin)
    client = login(jinan_admin)
    url = reverse("institutions:verification") + "?quarter=2026-3"
    with django_assert_max_num_queries(12):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "济南市历下区劳动人事争议仲裁委员会" in html
    assert "济南市历城区劳动人事争议仲裁委员会" in html
    assert "青岛市" not in html
    tiles = page.context["states"]
    counts = {code: n for code, _label, n in tiles}
    jinan_commissions = 1 + 12  # the city's own and its county-level divisions
    assert counts["submitted"] == 1
    assert counts["not_submitted"] == jinan_commissions - 1
    assert page.context["waiting_for_me"] == 1
    mine = client.get(url + "&state=mine").context["page"]
    assert [row.commission.division_id for row in mine] == ["370102"]


def test_the_province_dashboard_counts_by_city_in_bounded_queries(
    province_admin, login, django_assert_max_num_queries
):
    client = login(province_admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("institutions:verification"))
    assert len(page.context["cities"]) == 16
    assert page.context["total"] == 153
