"""API clients for the cast: ``api(user)`` signs requests with the user's token."""

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhongcai.accounts.models import User


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> Iterator[None]:
    # The token endpoint's throttle counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def api(province: None) -> Callable[[User], APIClient]:
    def _as(user: User) -> APIClient:
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _as
