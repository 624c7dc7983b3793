"""Assessment figures of mediators and their organisation, on a small fixture with known
numbers (March 2026)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhongcai.mediation import assessment, pool, services
from zhongcai.mediation.models import Agreement, MediationCase, Status
from zhongcai.mediation.tests.conftest import apply_online
from zhongcai.orgs.models import TrainingRecord
from zhongcai.orgs.performance import Period

pytestmark = pytest.mark.django_db

CN = ZoneInfo("Asia/Shanghai")
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def at(day, hour=10):
    return datetime(2026, *day, hour, tzinfo=CN)


def accepted_on(worker, mediator_user, centre, day):
    with time_machine.travel(at(day), tick=False):
        case = apply_online(worker, centre)
        return services.mediation_accept(by=mediator_user, case=case, respondent_consent=True)


def conclude(case, person, status, day):
    MediationCase.objects.filter(pk=case.pk).update(
        mediator=person, status=status, concluded_at=at(day, 16)
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def march(worker_demo, employer_user, lixia_mediator, centre, mediators):
    liu, chen, sun = mediators
    a = accepted_on(worker_demo, lixia_mediator, centre, (3, 2))
    b = accepted_on(worker_demo, lixia_mediator, centre, (3, 3))
    c = accepted_on(worker_demo, lixia_mediator, centre, (3, 2))
    d = accepted_on(worker_demo, lixia_mediator, centre, (3, 4))
    e = accepted_on(worker_demo, lixia_mediator, centre, (2, 20))
    f = accepted_on(worker_demo, lixia_mediator, centre, (4, 2))
    conclude(a, liu, Status.AGREED, (3, 6))
    Agreement.objects.create(
        case=a,
        number="历下调〔2026〕1号",
        items=[],
        content=[],
        content_sha256="0" * 64,
        drafted_by=lixia_mediator,
        drafted_at=at((3, 6)),
        effective_at=at((3, 7)),
    )
    conclude(b, liu, Status.FAILED, (3, 10))
    conclude(c, chen, Status.FAILED, (3, 18))  # due 17 March: deemed failed, late
    conclude(d, chen, Status.CONFIRMED, (3, 14))  # agreement reviewed since: still counts
    conclude(e, sun, Status.AGREED, (3, 1))
    MediationCase.objects.filter(pk=f.pk).update(mediator=sun, status=Status.MEDIATING)
    with time_machine.travel(at((3, 8)), tick=False):
        pool.feedback_give(by=worker_demo, case=a, score=5)
    with time_machine.travel(at((3, 11)), tick=False):
        pool.feedback_give(by=employer_user, case=b, score=3)
    TrainingRecord.objects.create(
        person=liu, completed_on=date(2026, 3, 15), hours=Decimal(8), course="调解技巧"
    )
    TrainingRecord.objects.create(
        person=chen, completed_on=date(2026, 2, 20), hours=Decimal("4.5"), course="劳动法"
    )
    return mediators


def shown(values):
    return {v.definition.code: v.display() for v in values}


def test_the_organisations_figures(march, centre):
    assert shown(assessment.organisation_figures(centre, MARCH)) == {
        "handled": "4",  # a, b, c, d; e was accepted in February, f in April
        "agreements": "3",  # a, d, e
        "failures": "2",  # b, c
        "success_rate": "60.0%",
        "median_days": "9",  # 5 (a, to the agreement's effect), 10 (d), 9 (e)
        "average_days": "8",
        "overdue": "1",  # c
        "feedback_average": "4",
        "feedback_count": "2",
        "training_hours": "8",  # 陈静's hours were in February
    }


def test_each_mediators_figures(march):
    liu, chen, sun = march
    assert shown(assessment.mediator_figures(liu, MARCH)) == {
        "handled": "2",
        "agreements": "1",
        "failures": "1",
        "success_rate": "50.0%",
        "median_days": "5",
        "average_days": "5",
        "overdue": "0",
        "feedback_average": "4",
        "feedback_count": "2",
        "training_hours": "8",
    }
    sun_figures = shown(assessment.mediator_figures(sun, MARCH))
    assert (sun_figures["handled"], sun_figures["success_rate"]) == ("0", "100.0%")
    assert sun_figures["feedback_average"] == str(assessment.Value(None).display())
    rows = dict(assessment.figures_by_mediator(liu.organisation, MARCH))
    assert shown(rows[chen])["overdue"] == "1"


def test_an_empty_period_says_no_data_never_zero_percent(march, centre):
    values = {
        v.definition.code: v
        for v in assessment.organisation_figures(
            centre, Period(date(2025, 1, 1), date(2025, 12, 31))
        )
    }
    for code in ("success_rate", "median_days", "average_days", "feedback_average"):
        assert not values[code].available
        assert "%" not in values[code].display()
    assert values["handled"].value == 0
