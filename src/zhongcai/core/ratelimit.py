"""A fixed-window counter in the cache: enough to slow down scripted guessing on public forms."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def allow(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; False once ``limit`` is passed in the window."""
    window = int(timezone.now().timestamp()) // seconds
    name = f"ratelimit:{scope}:{key}:{window}"
    cache.add(name, 0, timeout=seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # evicted between add and incr
        cache.set(name, 1, timeout=seconds)
        count = 1
    return count <= limit


def client_address(request: HttpRequest) -> str:
    """The client's address: behind ``NUM_PROXIES`` trusted proxies, the entry of
    X-Forwarded-For that the outermost trusted proxy wrote; with none, the socket's peer (a
    client cannot choose its own address by sending the header)."""
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))
