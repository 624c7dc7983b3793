"""The production shape: PostgreSQL, Redis, Celery, HTTPS. Refuses to start when misconfigured."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSECURE_SECRET_KEY, SECRET_KEY, env, env_bool

DEBUG = False
DEMO_DATA_ALLOWED = False
# A production deployment signs documents with certificates it imports, not the demo CA.
DOCUMENTS_DEMO_CA = env_bool("DOCUMENTS_DEMO_CA", False)

if not SECRET_KEY or SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment to a random value of at least 50 characters."
    )
# The production shape is PostgreSQL and Redis; never fall back to the embedded default.
for _name in ("DATABASE_URL", "REDIS_URL"):
    if not env(_name):
        raise ImproperlyConfigured(f"{_name} must be set in the environment in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Static files are served by the app servers themselves (compressed, cache-busting names).
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
