"""A draft for mediation speaks of mediation on every step, and explains it once a page."""

import pytest
import time_machine
from django.urls import reverse

from zhongcai.mediation.tests.test_apply_online import _complete, _post, _start, _url
from zhongcai.portal.models import ApplicationDraft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        yield


@pytest.fixture
def worker(login, worker_demo):
    return login(worker_demo)


def _main(response):
    html = response.content.decode()
    return html[html.find("<main") : html.find("</main>")]


def test_the_steps_of_a_mediation_draft_never_speak_of_arbitration_claims(worker, centre):
    draft = _start(worker)
    _complete(worker, draft, with_file=False)
    for step in ("you", "employer", "work", "claims", "evidence", "review"):
        page = _main(worker.get(_url(draft, step)))
        assert "仲裁请求" not in page, step  # "What you claim" is the arbitration wording
        assert "调解请求" in page, step  # the claims step in the progress list
    evidence = _main(worker.get(_url(draft, "evidence")))
    assert "带到仲裁委员会" not in evidence
    work = _main(worker.get(_url(draft, "work")))
    assert "哪个仲裁委员会管辖" not in work
    review = _main(worker.get(_url(draft, "review")))
    assert "证据带到仲裁委员会" not in review


def test_an_arbitration_draft_keeps_its_wording(worker):
    worker.post(reverse("portal:apply"))
    draft = ApplicationDraft.objects.latest("pk")
    assert "仲裁请求" in _main(worker.get(_url(draft, "claims")))


def test_the_review_names_the_employer_as_an_organisation(worker, centre):
    draft = _start(worker)
    _complete(worker, draft, with_file=False)
    review = _main(worker.get(_url(draft, "review")))
    assert "<dt>用人单位名称</dt>" in review


def test_mediation_is_explained_once_on_the_review_and_once_on_the_receipt(worker, centre):
    draft = _start(worker)
    _complete(worker, draft, with_file=False)
    review = _main(worker.get(_url(draft, "review")))
    assert review.count('class="mediation-facts"') == 1
    assert review.count("第十四条") == 1
    response = _post(worker, draft, "review", {"organisation": centre.pk})
    assert response.status_code == 302
    done = _main(worker.get(response["Location"]))
    assert done.count('class="mediation-facts"') == 1
    assert done.count("3个工作日") == 1  # the acceptance delay, said once with its date
