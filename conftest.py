"""The cast every test can call by name: the demo province's accounts.

Each test runs in a transaction on a database where the demo province is loaded once
(Shandong's 153 divisions and their bodies, one account per role). Tests that flush the database
(browser tests with a live server) get it loaded again by the next test that asks for the cast.
"""

import pytest

from zhongcai.accounts.models import User
from zhongcai.demo.loader import is_loaded, load_demo


def pytest_collection_modifyitems(items):
    """Run tests that flush the database last, so the others keep the province loaded once."""

    def flushes(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction"))

    items.sort(key=flushes)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()


def _restore_flushed_data():
    """A test that flushed the database (browser tests) took the seeded holidays with it."""
    from zhongcai.core.holiday_seed import seed_holidays
    from zhongcai.core.models import Holiday, HolidayYear

    if not HolidayYear.objects.exists():
        seed_holidays(HolidayYear, Holiday)
    if not is_loaded():
        load_demo()


@pytest.fixture
def province(db):
    """Shandong with its bodies and the demo accounts; reloaded if a flush removed it."""
    _restore_flushed_data()


def _cast(username):
    @pytest.fixture
    def member(province):
        return User.objects.select_related("organisation").get(username=username)

    member.__doc__ = f"The demo account {username}."
    return member


province_admin = _cast("province_admin")
jinan_admin = _cast("jinan_admin")
lixia_admin = _cast("lixia_admin")
lixia_intake = _cast("lixia_intake")
lixia_head = _cast("lixia_head")
lixia_arbitrator = _cast("lixia_arbitrator")
lixia_clerk = _cast("lixia_clerk")
lixia_mediator = _cast("lixia_mediator")
licheng_intake = _cast("licheng_intake")
licheng_arbitrator = _cast("licheng_arbitrator")
jinan_court = _cast("jinan_court")
worker_demo = _cast("worker_demo")
employer_demo = _cast("employer_demo")


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as ``user`` and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def institutions(province):
    """The demo commissions' people, rooms and tribunals: Lixia has five arbitrators (three with
    accounts: lixia_arbitrator, lixia_arbitrator2, lixia_arbitrator3), the recorder 杨静
    (lixia_clerk) and a hearing room; Licheng has one arbitrator."""
    from zhongcai.demo.institutions import load_demo_institutions

    load_demo_institutions()
