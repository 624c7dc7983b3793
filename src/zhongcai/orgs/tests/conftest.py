"""More of the cast for institutions: administrators of other counties and cities."""

import pytest
from django.utils import translation

from zhongcai.accounts.models import Role
from zhongcai.accounts.services import staff_user_create
from zhongcai.orgs.models import Organisation


def _admin(username, real_name, division):
    department = Organisation.objects.get(
        division_id=division, type=Organisation.Type.HRSS_DEPARTMENT
    )
    return staff_user_create(
        by=None,
        username=username,
        real_name=real_name,
        role=Role.HRSS_ADMIN,
        organisation=department,
        password="x-demo12345",
    )


@pytest.fixture
def licheng_admin(province):
    """Licheng (历城区), Lixia's neighbour in Jinan."""
    return _admin("licheng_admin", "秦卫东", "370112")


@pytest.fixture
def qingdao_admin(province):
    """Qingdao city (青岛市), another city."""
    return _admin("qingdao_admin", "邵明", "370200")


@pytest.fixture
def shinan_admin(province):
    """Shinan (市南区), a county of Qingdao."""
    return _admin("shinan_admin", "任洁", "370202")


@pytest.fixture
def province_admin2(province):
    """A second administrator at the province."""
    return _admin("province_admin2", "钱宏", "370000")


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Services' messages are compared in English (the msgids), whatever is translated later;
    pages keep their own language from the request."""
    with translation.override("en"):
        yield
