"""A fixed-window counter in the cache: enough to slow down scripted guessing on public forms."""

from __future__ import annotations

from django.core.cache import cache
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
