from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from zhongcai.cases.models import CaseDeadline
from zhongcai.core.events import events_of, verify_chains
from zhongcai.core.models import Holiday, HolidayYear

from .factories import accepted


@pytest.mark.django_db
def test_publishing_next_years_holidays_moves_the_running_clocks(lixia_intake, lixia_head, capsys):
    with time_machine.travel("2026-12-10 10:00 +0800", tick=False):
        case = accepted(lixia_intake, lixia_head)
    award = case.deadlines.get(code="award")
    assert (award.due_on, award.certain) == (date(2027, 1, 25), False)

    # The State Council publishes 2027: say 2027-01-25 is a day off.
    year = HolidayYear.objects.create(year=2027, source="国办发明电〔2026〕X号（测试）")
    Holiday.objects.create(year=year, date=date(2027, 1, 25), kind="holiday", name="测试假日")
    call_command("recompute_deadlines")

    award.refresh_from_db()
    case.refresh_from_db()
    assert (award.due_on, award.certain) == (date(2027, 1, 26), True)
    event = events_of(case).last()
    assert event.kind == "case.deadline_recomputed"
    assert event.payload == {
        "code": "award",
        "before": "2027-01-25",
        "after": "2027-01-26",
        "certain": True,
    }
    assert "1" in capsys.readouterr().out
    assert list(verify_chains()) == []
    # Nothing else moves on a second run.
    call_command("recompute_deadlines")
    assert CaseDeadline.objects.filter(case=case, due_on=date(2027, 1, 26)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_administrator_entering_a_year_in_the_admin_moves_the_clocks(lixia_intake, lixia_head):
    from django.contrib.auth import get_user_model
    from django.test import Client

    with time_machine.travel("2026-12-10 10:00 +0800", tick=False):
        case = accepted(lixia_intake, lixia_head)
    admin = get_user_model().objects.get(username="province_admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/core/holidayyear/add/",
        {
            "year": "2027",
            "source": "国办发明电〔2026〕X号（测试）",
            "days-TOTAL_FORMS": "1",
            "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000",
            "days-0-date": "2027-01-25",
            "days-0-kind": "holiday",
            "days-0-name": "测试假日",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    award = case.deadlines.get(code="award")
    assert (award.due_on, award.certain) == (date(2027, 1, 26), True)
    moved = events_of(case).last()
    assert (moved.kind, moved.actor) == ("case.deadline_recomputed", admin)
