"""Settings for the test suite: the dev shape, faster password hashing, no lock-out noise."""

import os

from .base import *  # noqa: F403

DEBUG = False
DEMO_DATA_ALLOWED = True
# Argon2 is what production hashes with (tested explicitly); MD5 keeps the suite fast.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
# The cache (Redis in CI) outlives a run: throttles are tested with their own low limits.
REGISTRATION_ATTEMPTS_PER_HOUR = 10_000

# Business tests run background work in-process whatever the broker; the wiring test
# (tests/test_services_wiring.py) proves that a real Celery worker takes work over Redis.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# pytest-xdist: each worker gets its own Redis database (the tests flush theirs), as it gets its
# own test database from pytest-django.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _WORKER.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(REDIS_URL)  # noqa: F405
    _db = (int(_url.path.strip("/") or 0) + 1 + int(_WORKER[2:])) % 16
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_db}"))
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [REDIS_URL]  # noqa: F405
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
