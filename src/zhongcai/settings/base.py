"""Settings shared by every shape of the platform.

Everything that differs between machines comes from the environment. With no environment at all
the project runs embedded: SQLite, tasks executed eagerly, an in-memory channel layer. With
``DATABASE_URL`` and ``REDIS_URL`` it runs in the production shape: PostgreSQL, Redis, Celery
workers and Channels over Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# A placeholder that production settings refuse; dev and test settings use it knowingly.
INSECURE_SECRET_KEY = "insecure-dev-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", INSECURE_SECRET_KEY)
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "zhongcai.core",
    "zhongcai.accounts",
    "zhongcai.orgs",
    "zhongcai.cases",
    "zhongcai.mediation",
    "zhongcai.monitoring",
    "zhongcai.documents",
    "zhongcai.notifications",
    "zhongcai.appointments",
    "zhongcai.knowledge",
    "zhongcai.portal",
    "zhongcai.workspace",
    "zhongcai.demo",
    "zhongcai.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that a lock-out answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhongcai.urls"
WSGI_APPLICATION = "zhongcai.wsgi.application"
ASGI_APPLICATION = "zhongcai.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhongcai.workspace.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'zhongcai.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite in the embedded default: WAL so the dev server and a command can share the file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:after-login"
LOGOUT_REDIRECT_URL = "portal:home"

# Reverse proxies in front of the app servers: how many X-Forwarded-For entries to trust.
# 0 (the default) trusts none, so a client cannot pick its own address by sending the header.
NUM_PROXIES = int(env("NUM_PROXIES", "0"))

# Lock-out after repeated failures of one user name from one address: an attacker elsewhere
# cannot lock a colleague out by guessing their (predictable) user name. Address-wide guessing
# is slowed by the token endpoint's throttle and by the proxy in production.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
if NUM_PROXIES:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = NUM_PROXIES
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhongcai.accounts.views.locked_out"
AXES_VERBOSE = False

# Registration attempts per address and hour (a registration tells whether a number is taken).
REGISTRATION_ATTEMPTS_PER_HOUR = int(env("REGISTRATION_ATTEMPTS_PER_HOUR", "20"))

# Sessions end after two idle hours and when the browser closes.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Nothing is loaded from outside the platform: government intranets reach no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    SRC_DIR / "static",
    # Front-end libraries come from the npm registry through package-lock.json, served from here.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# Overdue flags, warnings 5 working days ahead, post-award settlement (cases.timers); the
# embedded default runs the command ``run_case_timers`` instead.
CELERY_BEAT_SCHEDULE["cases-run-timers"] = {
    "task": "zhongcai.cases.tasks.run_case_timers",
    "schedule": 3600.0,
}
# Mediations past their time limit without agreement are deemed failed (mediation.services).
CELERY_BEAT_SCHEDULE["mediation-expire-due"] = {
    "task": "zhongcai.mediation.tasks.expire_due_mediations",
    "schedule": 3600.0,
}
# Deadline and risk warnings (monitoring.warnings); the embedded default runs the command
# ``run_warnings`` instead.
CELERY_BEAT_SCHEDULE["monitoring-run-warnings"] = {
    "task": "zhongcai.monitoring.tasks.run_warnings",
    "schedule": 3600.0,
}
# The dashboards' stored figures follow each case's events (monitoring.figures); once a night
# they are rebuilt from the source, which repairs anything a failed refresh left behind.
CELERY_BEAT_SCHEDULE["monitoring-rebuild-figures"] = {
    "task": "zhongcai.monitoring.tasks.rebuild_figures",
    "schedule": crontab(hour=2, minute=30),
}

# The thresholds of the warning rules (monitoring.warnings, issue 10 point 4): settings, not
# code. Read through ``monitoring.warnings.threshold``; a deployment overrides any of them.
MONITORING_WARNING_THRESHOLDS: dict[str, dict[str, object]] = {
    # Clocks of the commission due within this many working days (or past due).
    "deadline": {"due_within_working_days": 5},
    # Every accepted collective case (办案规则 arts. 62–64).
    "collective": {"enabled": True},
    # At least ``min_cases`` cases accepted against one employer (credit code) in ``window_days``.
    "employer_cases": {"min_cases": 3, "window_days": 30},
    # Wage-arrears (劳动报酬) cases accepted in a county in the last ``window_days``, against the
    # mean of the same window in each of the ``baseline_years`` previous years.
    "wage_arrears_spike": {"window_days": 14, "baseline_years": 3, "ratio": 2.0, "min_cases": 5},
    # At least ``min_cases`` cases of one institute in a policy sector in ``window_days``; each
    # sector is a list of GB/T 4754 sections read from the employer's name.
    "policy_sector": {
        "min_cases": 3,
        "window_days": 30,
        "sectors": {"construction": ["E"], "real_estate": ["K"], "education_training": ["P"]},
    },
}

# Demo accounts are only ever created in the embedded default; production refuses them.
DEMO_DATA_ALLOWED = False
DEMO_PASSWORD = "demo12345"  # noqa: S105

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # PDF rendering: font subsetting and layout progress are noise at INFO.
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # pyHanko logs a traceback for every untrusted chain it is shown; the report says it.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}

# The REST API (/api/v1/): sessions for the pages' own scripts, tokens for other systems.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhongcai.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
    "NUM_PROXIES": NUM_PROXIES,
    # One mapping from the services' exceptions to HTTP for every endpoint (404/403/409/400).
    "EXCEPTION_HANDLER": "zhongcai.api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhongcai API",
    "DESCRIPTION": "劳动人事争议调解仲裁平台 API: every write calls the services the pages call.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from the platform itself (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "zhongcai.cases.models.Status",
        "LawStatusEnum": "zhongcai.knowledge.models.Law.Status",
        "TribunalKindEnum": "zhongcai.cases.models.TribunalKind",
        "RecusalGroundEnum": "zhongcai.cases.models.RecusalGround",
        "TribunalMethodEnum": "zhongcai.cases.models.TribunalMember.Method",
        "CourtNoticeKindEnum": "zhongcai.cases.models.CourtNotice.Kind",
        "AwardKindEnum": "zhongcai.cases.models.Award.Kind",
        "AwardItemOutcomeEnum": "zhongcai.cases.models.AwardItem.Outcome",
        "MediationOutcomeEnum": "zhongcai.cases.models.MediationAttempt.Outcome",
        "RefusalGroundEnum": "zhongcai.cases.taxonomy.RefusalGround",
        "ServiceMethodEnum": "zhongcai.cases.models.ServiceMethod",
        "PostAwardEnum": "zhongcai.cases.models.PostAward",
    },
}

# API tokens end like sessions do, only later: other systems ask for a new one each day.
API_TOKEN_TTL = timedelta(hours=int(env("API_TOKEN_TTL_HOURS", "24")))

# Statutory periods can be corrected per deployment without code changes (cases.deadlines),
# e.g. {"acceptance_decision": {"unit": "calendar"}}.
STATUTORY_PERIODS: dict[str, dict[str, object]] = {}

# spec §3.3a step 2: whether a rejected (驳回) money item of LDMAL 47(1) counts as final varies
# by province [V2 local practice]; off until the provincial policy is confirmed.
CASES_REJECTED_MONEY_ITEM_IS_FINAL = False
# LDMAL art. 33(3): a past case with the same party within this many years is a recusal ground
# when drawing a tribunal [D].
CASES_RECUSAL_LOOKBACK_YEARS = 2
# 办案规则 art. 24: the archived file is kept at least 10 years for a case closed by award,
# 5 years for any other closing (cases.archive).
CASES_RETENTION_YEARS_AWARD = 10
CASES_RETENTION_YEARS_OTHER = 5
# The largest evidence or service photo a user may upload, in megabytes.
CASES_MAX_UPLOAD_MB = int(env("CASES_MAX_UPLOAD_MB", "20"))
# Issue 5 point 6: a document that must be served is served electronically as it is issued on
# every party that consented to electronic service at a confirmed address (民诉法 art. 90).
CASES_AUTO_ELECTRONIC_SERVICE = True

PLATFORM_NAME = _("Labor and Personnel Dispute Mediation and Arbitration Platform")

# Documents (统一仲裁文书): fonts embedded in PDFs come from the npm registry (package.json);
# the DOCX names the fonts offices have. The signing keys are kept encrypted with the passphrase.
DOCUMENTS_FONT_DIR = env(
    "DOCUMENTS_FONT_DIR", str(BASE_DIR / "node_modules" / "@expo-google-fonts" / "noto-serif-sc")
)
# Fonts for characters Noto Serif SC lacks (生僻字 of CJK extension B+), comma-separated paths.
DOCUMENTS_EXTRA_FONTS = env_list("DOCUMENTS_EXTRA_FONTS")
DOCUMENTS_DOCX_FONTS = {"body": "仿宋", "title": "方正小标宋简体", "heading": "黑体"}
DOCUMENTS_KEY_PASSPHRASE = env("DOCUMENTS_KEY_PASSPHRASE", "") or SECRET_KEY
# The embedded default signs with certificates from a demo CA made on first use (documents.signing);
# production imports each commission's certificate instead (manage.py import_signing_certificate).
DOCUMENTS_DEMO_CA = env_bool("DOCUMENTS_DEMO_CA", True)

# Notifications (issue 6 point 6): in-app always; e-mail through EMAIL_BACKEND (the embedded
# default prints to the console); SMS through the gateway class named here — the default writes
# to the log only; a real gateway is a class with ``send(delivery)`` (notifications.channels).
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@localhost")
NOTIFICATIONS_SMS_GATEWAY = env(
    "NOTIFICATIONS_SMS_GATEWAY", "zhongcai.notifications.channels.LogSmsGateway"
)
# Links in e-mails and SMS are made absolute with this (e.g. https://zhongcai.example.gov.cn).
NOTIFICATIONS_SITE_URL = env("NOTIFICATIONS_SITE_URL")
# A failed e-mail or SMS is tried again after 60 s, 120 s, 240 s ... up to this many attempts.
NOTIFICATIONS_MAX_ATTEMPTS = int(env("NOTIFICATIONS_MAX_ATTEMPTS", "5"))
NOTIFICATIONS_RETRY_BACKOFF_SECONDS = int(env("NOTIFICATIONS_RETRY_BACKOFF_SECONDS", "60"))
CELERY_BEAT_SCHEDULE["notifications-retry-pending"] = {
    "task": "zhongcai.notifications.tasks.retry_pending",
    "schedule": 300.0,
}
