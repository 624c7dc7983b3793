"""Applying for mediation online through the portal's guided form, as a worker would."""

import pytest
import time_machine
from django.urls import reverse
from django.utils.formats import date_format

from zhongcai.cases.models import Case
from zhongcai.cases.tests.factories import EMPLOYER, WORKER, commission
from zhongcai.core.events import events_of
from zhongcai.mediation.models import Channel, MediationCase, SharedFile, Status
from zhongcai.portal.models import ApplicationDraft, DraftAttachment
from zhongcai.portal.tests.test_apply import EMPLOYER_STEP, PDF, TWO_CLAIMS, WORK, YOU

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        yield


@pytest.fixture
def worker(login, worker_demo):
    return login(worker_demo)


def _url(draft, step):
    return reverse("portal:apply-step", args=[draft.pk, step])


def _post(client, draft, step, data):
    version = ApplicationDraft.objects.get(pk=draft.pk).version
    return client.post(_url(draft, step), {"version": version, **data})


def _start(client):
    response = client.post(reverse("mediation-portal:apply-start"))
    draft = ApplicationDraft.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == _url(draft, "you")
    assert draft.destination == ApplicationDraft.Destination.MEDIATION
    return draft


def _complete(client, draft, with_file=True):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for step, data in (("you", YOU), ("employer", EMPLOYER_STEP), ("work", WORK)):
        assert _post(client, draft, step, data).status_code == 302
    assert _post(client, draft, "claims", TWO_CLAIMS).status_code == 302
    if with_file:
        upload = SimpleUploadedFile("工资条.pdf", PDF, content_type="application/pdf")
        assert (
            _post(client, draft, "evidence", {"title": "工资条", "file": upload}).status_code == 302
        )


def test_the_start_page_explains_mediation_before_anything_starts(client, worker):
    page = worker.get(reverse("mediation-portal:apply-start"))
    assert page.status_code == 200
    assert "第二十七条" in page.content.decode()  # the limitation warning, LDMAL art. 27
    assert not ApplicationDraft.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, province):
    response = client.post(reverse("mediation-portal:apply-start"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not ApplicationDraft.objects.exists()


def test_a_worker_applies_for_mediation_end_to_end(worker, worker_demo, centre):
    draft = _start(worker)
    _complete(worker, draft)
    review = worker.get(_url(draft, "review"))
    assert review.status_code == 200
    assert review.context["gaps"] == []
    assert centre in [s.organisation for s in review.context["suggestions"]]
    assert review.context["limitation"]  # the portal's limitation warning is shown
    sha = DraftAttachment.objects.get().sha256

    response = _post(worker, draft, "review", {"organisation": centre.pk})
    done_url = reverse("mediation-portal:apply-done", args=[draft.pk])
    assert response.status_code == 302 and response["Location"] == done_url

    case = MediationCase.objects.get(owner=worker_demo)
    assert (case.status, case.organisation, case.channel) == (
        Status.APPLIED,
        centre,
        Channel.ONLINE,
    )
    assert [(p.role, p.name) for p in case.parties.order_by("pk")] == [
        ("applicant", WORKER["name"]),
        ("respondent", EMPLOYER["name"]),
    ]
    assert case.parties.get(role="applicant").user == worker_demo
    assert [(c.type, str(c.amount)) for c in case.claims.order_by("number")] == [
        ("remuneration", "12000.00"),
        ("economic_compensation", "9000.00"),
    ]
    assert WORK["facts"] in case.facts
    [shared] = SharedFile.objects.filter(case=case)
    assert (shared.title, shared.sha256, shared.audience, shared.side, shared.kind) == (
        "工资条",
        sha,
        "joint",
        "applicant",
        "evidence",
    )
    assert shared.file.read() == PDF
    assert [e.kind for e in events_of(case)] == ["mediation.applied", "mediation.file_shared"]
    assert "工资条" not in str(events_of(case)[1].payload)  # hashes only, no content

    done = worker.get(done_url).content.decode()
    assert centre.name in done
    assert date_format(case.acceptance_due, "DATE_FORMAT") in done
    # The draft is closed: its steps and the arbitration receipt lead to this confirmation.
    assert worker.get(_url(draft, "claims"))["Location"] == reverse(
        "portal:apply-done", args=[draft.pk]
    )
    assert worker.get(reverse("portal:apply-done", args=[draft.pk]))["Location"] == done_url


def test_submitting_twice_makes_one_case(worker, worker_demo, centre):
    draft = _start(worker)
    _complete(worker, draft, with_file=False)
    version = ApplicationDraft.objects.get(pk=draft.pk).version
    for _ in range(2):
        response = worker.post(
            _url(draft, "review"), {"version": version, "organisation": centre.pk}
        )
        assert response.status_code == 302
    assert MediationCase.objects.filter(owner=worker_demo).count() == 1
    # Nor can the same draft then become an arbitration case too.
    lixia = commission("370102")
    worker.post(_url(draft, "review"), {"version": version, "commission": lixia.pk})
    assert not Case.objects.filter(owner=worker_demo).exists()


@pytest.mark.parametrize("which", ["commission", "inactive", "elsewhere", "none", "junk"])
def test_a_wrong_organisation_is_refused_and_nothing_written(worker, worker_demo, centre, which):
    from zhongcai.orgs.institutions import mediation_organisation_create
    from zhongcai.orgs.models import MediationDetail, Organisation

    draft = _start(worker)
    _complete(worker, draft, with_file=False)
    if which == "commission":
        choice = commission("370102").pk
    elif which == "inactive":
        Organisation.objects.filter(pk=centre.pk).update(is_active=False)
        choice = centre.pk
    elif which == "elsewhere":
        hrss = Organisation.objects.get(division_id="370112", type="hrss_department")
        choice = mediation_organisation_create(
            by=None, department=hrss, name="历城调解中心", short_name="",
            kind=MediationDetail.Kind.TOWNSHIP, area="", address="",
        ).pk  # fmt: skip
    else:
        choice = "" if which == "none" else "x1"
    response = _post(worker, draft, "review", {"organisation": choice})
    assert response.status_code == 400
    assert response.context["problems"]
    assert not MediationCase.objects.filter(owner=worker_demo).exists()
    assert not ApplicationDraft.objects.get(pk=draft.pk).is_submitted


def test_an_incomplete_application_is_refused_with_its_gaps(worker, worker_demo, centre):
    draft = _start(worker)
    response = _post(worker, draft, "review", {"organisation": centre.pk})
    assert response.status_code == 400
    assert not MediationCase.objects.exists()


def test_an_arbitration_draft_can_switch_to_mediation_at_the_end(worker, worker_demo, centre):
    worker.post(reverse("portal:apply"))
    draft = ApplicationDraft.objects.latest("pk")
    assert draft.destination == "arbitration"
    _complete(worker, draft, with_file=False)
    assert _post(worker, draft, "review", {"destination": "mediation"}).status_code == 302
    assert ApplicationDraft.objects.get(pk=draft.pk).for_mediation
    review = worker.get(_url(draft, "review"))
    assert "suggestions" in review.context
    assert _post(worker, draft, "review", {"organisation": centre.pk}).status_code == 302
    assert MediationCase.objects.filter(owner=worker_demo, organisation=centre).count() == 1
    assert not Case.objects.filter(owner=worker_demo).exists()


def test_the_confirmation_is_the_owners_only(worker, worker_demo, centre, login, employer_demo):
    draft = _start(worker)
    _complete(worker, draft, with_file=False)
    _post(worker, draft, "review", {"organisation": centre.pk})
    other = login(employer_demo)
    assert other.get(reverse("mediation-portal:apply-done", args=[draft.pk])).status_code == 404


def test_staff_cannot_start_an_online_application(login, lixia_mediator):
    client = login(lixia_mediator)
    assert client.post(reverse("mediation-portal:apply-start")).status_code == 403


def test_the_home_page_and_menu_open_the_mediation_door(client, province):
    page = client.get(reverse("portal:home")).content.decode()
    assert page.count(reverse("mediation-portal:apply-start")) >= 2
