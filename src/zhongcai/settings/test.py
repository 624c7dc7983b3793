"""Settings for the test suite: the dev shape, faster password hashing, no lock-out noise."""

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
