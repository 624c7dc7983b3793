"""Which address a rate limit counts: never one the client chose by sending a header."""

from django.test import RequestFactory

from zhongcai.core.ratelimit import client_address


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.NUM_PROXIES = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_saw_counts(settings):
    settings.NUM_PROXIES = 1
    # The client sent a forged entry; the proxy appended the real peer.
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1"
    )
    assert client_address(request) == "203.0.113.9"
    # A request that did not come through the proxy: the peer.
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
