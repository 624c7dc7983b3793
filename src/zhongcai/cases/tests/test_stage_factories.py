from zhongcai.cases import integrity
from zhongcai.cases.models import Status
from zhongcai.cases.tests import factories
from zhongcai.core.events import events_of


def test_the_shortcuts_reach_deliberation_with_consistent_events(
    institutions, lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator
):
    case = factories.heard(lixia_intake, lixia_head, lixia_clerk, lixia_arbitrator)
    assert case.status == Status.DELIBERATION
    assert integrity.problems_of(case, list(events_of(case))) == []
