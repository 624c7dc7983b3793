"""Settings for the test suite: the dev shape, faster password hashing, no lock-out noise."""

from .base import *  # noqa: F403

DEBUG = False
DEMO_DATA_ALLOWED = True
# Argon2 is what production hashes with (tested explicitly); MD5 keeps the suite fast.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
