from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from zhongcai.accounts.models import Role
from zhongcai.accounts.services import staff_user_create
from zhongcai.cases import services
from zhongcai.cases.integrity import check_cases
from zhongcai.cases.models import Origin
from zhongcai.cases.selectors import online_handling_rate
from zhongcai.orgs.models import Organisation

from .factories import accepted, application, commission


@pytest.fixture
def sysadmin(province_admin):
    return staff_user_create(
        by=None,
        username="sysadmin",
        real_name="系统管理员",
        role=Role.SYSTEM_ADMIN,
        organisation=province_admin.organisation,
        password="Xitong-2026!",
    )


def _department(code):
    return Organisation.objects.get(division_id=code, type="hrss_department")


@pytest.mark.django_db
def test_a_case_handled_in_the_system_counts_as_online(lixia_intake, lixia_head):
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        accepted(lixia_intake, lixia_head)
    rate = online_handling_rate(_department("370102"), date(2026, 10, 1), date(2026, 10, 31))
    assert (rate.handled_online, rate.total, rate.value) == (1, 1, 1.0)


@pytest.mark.django_db
def test_an_imported_case_does_not_count_and_is_marked(lixia_intake, lixia_head, sysadmin):
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        accepted(lixia_intake, lixia_head)
        legacy = services.case_import_legacy(
            by=sysadmin,
            commission=commission("370102"),
            data=application(),
            case_number="济历下劳人仲案字〔2026〕第900号",
            accepted_on=date(2026, 10, 8),
            source="旧办案系统 2019 版",
        )
    assert legacy.origin == Origin.LEGACY
    rate = online_handling_rate(_department("370102"), date(2026, 10, 1), date(2026, 10, 31))
    assert (rate.handled_online, rate.total) == (1, 2)
    # The city sees both, the neighbouring county none.
    assert (
        online_handling_rate(_department("370100"), date(2026, 10, 1), date(2026, 10, 31)).total
        == 2
    )
    assert (
        online_handling_rate(_department("370112"), date(2026, 10, 1), date(2026, 10, 31)).value
        is None
    )
    assert list(check_cases()) == []


@pytest.mark.django_db
def test_only_system_administrators_import(lixia_head):
    with pytest.raises(PermissionDenied):
        services.case_import_legacy(
            by=lixia_head,
            commission=commission("370102"),
            data=application(),
            case_number="X",
            accepted_on=date(2026, 1, 5),
            source="旧系统",
        )


@pytest.mark.django_db
def test_a_period_outside_the_acceptances_is_empty(lixia_intake, lixia_head):
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        accepted(lixia_intake, lixia_head)
    rate = online_handling_rate(_department("370000"), date(2026, 11, 1), date(2026, 11, 30))
    assert rate.total == 0
