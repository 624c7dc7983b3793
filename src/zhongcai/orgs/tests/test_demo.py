"""The demo institutions: loaded once through the services, with something in every list."""

import pytest

from zhongcai.demo.institutions import load_demo_institutions
from zhongcai.orgs import snapshots
from zhongcai.orgs.models import Person, QuarterSubmission, RosterEntry

from .factories import commission

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_fills_the_roster_and_the_review_queue(province):
    assert load_demo_institutions() is True
    count = Person.objects.count()
    assert load_demo_institutions() is False
    assert Person.objects.count() == count

    assert set(RosterEntry.objects.values_list("name", flat=True)) == {
        "李明远", "陈雪梅", "刘志强", "孙海燕", "周文博",
    }  # fmt: skip
    assert Person.objects.get(name="李明远").user.username == "lixia_arbitrator"

    waiting = QuarterSubmission.objects.get(status=QuarterSubmission.Status.SUBMITTED)
    assert waiting.commission == commission()
    sections = {s.code: s for s in snapshots.diff(waiting.base.snapshot, waiting.snapshot)}
    assert [i.title.split(" · ")[0] for i in sections["people"].added] == ["吴建平"]
    # 孙海燕's unit changed. In a first quarter everyone's training hours also start again
    # (they count per year), so others may show as changed too.
    assert "孙海燕 · Arbitrator" in [i.title for i in sections["people"].changed]
    assert [i.title for i in sections["rooms"].added] == ["调解室"]
    # Licheng is short of staff: its warnings show.
    licheng = snapshots.build_snapshot(commission("370112"), 2026, 4)
    assert len(licheng["checks"]) == 2
