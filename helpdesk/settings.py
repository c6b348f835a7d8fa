"""One settings module, driven by the environment.

With no environment at all the product runs on the embedded default: SQLite, the
in-memory channel layer and Celery tasks run eagerly, so a newcomer sees it work at
once. Setting DATABASE_URL / REDIS_URL switches to PostgreSQL and Redis.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None


def _minutes(name: str, default: int) -> timedelta:
    value = env.int(name, default=default)
    if value <= 0:
        raise environ.ImproperlyConfigured(f"{name} must be a positive number of minutes")
    return timedelta(minutes=value)


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and env.bool("REQUIRE_SECRET_KEY", default=False):
        raise environ.ImproperlyConfigured("SECRET_KEY must be set")
    # Only for the embedded quick-start and tests; production sets SECRET_KEY.
    SECRET_KEY = "insecure-quickstart-key-set-SECRET_KEY-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "agents",
    "helpdesk.customers",
    "helpdesk.orders",
    "helpdesk.tickets",
    "helpdesk.timeline",
    "helpdesk.inbound",
    "helpdesk.realtime",
    "helpdesk.demo",
    "helpdesk.web",
    "channels_integrations",
    "channels_integrations.email",
    "channels_integrations.shops",
    "helpdesk.store",
    "kpis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ROOT_URLCONF = "helpdesk.urls"
AUTH_USER_MODEL = "agents.User"
LOGIN_URL = "/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "helpdesk.wsgi.application"
ASGI_APPLICATION = "helpdesk.asgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'helpdesk.sqlite3'}")
}
# Long-lived ASGI workers must not hold connections across requests.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not IS_POSTGRES:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
    (BASE_DIR / "var").mkdir(exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # channels-redis waits for messages with a 5 s BZPOPMIN; redis-py 8 also times reads
            # out after 5 s by default, which killed every socket idle for 5 s. Read for longer.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                       "prefix": env.str("CHANNEL_PREFIX", default="asgi")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: eager without a broker, so the quick-start needs no worker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "helpdesk"
CELERY_BEAT_SCHEDULE: dict = {
    "recount-open-tickets": {"task": "agents.tasks.recount_open_tickets_task", "schedule": 24 * 3600},
}

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if env.bool("STATIC_COMPRESS", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
# Static files are served from the apps by WhiteNoise's finders until collectstatic runs.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["agents.permissions.IsStaffMember"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "helpdesk.api.pagination.PagePagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "helpdesk.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Retail helpdesk API",
    "DESCRIPTION": "One timeline per customer, one owner per ticket, orders beside the conversation.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "helpdesk.tickets.models.Channel",
        "TicketStatusEnum": "helpdesk.tickets.models.Status",
        "PriorityEnum": "helpdesk.tickets.models.Priority",
    },
}

# --- Domain settings ---------------------------------------------------------
DEFAULT_PHONE_REGION = env.str("DEFAULT_PHONE_REGION", default="NL").upper()
# An inbound contact joins the customer's open ticket on any channel within this window.
CONTINUATION_WINDOW = timedelta(days=env.int("CONTINUATION_WINDOW_DAYS", default=7))
# A contact this soon after a ticket was solved reopens it instead of opening a new one.
REOPEN_WINDOW = timedelta(days=env.int("REOPEN_WINDOW_DAYS", default=3))
ORDER_NUMBER_PATTERNS = env.json(
    "ORDER_NUMBER_PATTERNS",
    default=[
        r"\border(?:\s*(?:number|no\.?|nr\.?|#|:))*\s*#?\s*(\d{4,12})\b",
        r"\bbestelling(?:\s*(?:nummer|nr\.?|#|:))*\s*#?\s*(\d{4,12})\b",
        r"\b(?:ordernummer|bestelnummer|ordernr\.?)\s*:?\s*#?\s*(\d{4,12})\b",
    ],
)
# SLA targets in minutes per priority: (first response, resolution).
SLA_TARGETS = {
    priority: (int(first), int(resolution))
    for priority, (first, resolution) in env.json(
        "SLA_TARGETS",
        default={"urgent": [60, 240], "high": [240, 1440], "normal": [480, 2880], "low": [1440, 5760]},
    ).items()
}
MAX_ATTACHMENT_BYTES = env.int("MAX_ATTACHMENT_BYTES", default=15 * 1024 * 1024)
MAX_ATTACHMENTS_PER_MESSAGE = env.int("MAX_ATTACHMENTS_PER_MESSAGE", default=20)
# Live chat: messages (text or file) accepted per minute from one visitor and from one address.
CHAT_RATE_PER_VISITOR_PER_MINUTE = env.int("CHAT_RATE_PER_VISITOR_PER_MINUTE", default=30)
CHAT_RATE_PER_IP_PER_MINUTE = env.int("CHAT_RATE_PER_IP_PER_MINUTE", default=120)
if min(CHAT_RATE_PER_VISITOR_PER_MINUTE, CHAT_RATE_PER_IP_PER_MINUTE) < 0:
    raise environ.ImproperlyConfigured("CHAT_RATE_* must be 0 (no limit) or a positive number")

# Outgoing mail: smtp://user:pass@host:port, smtp+tls://…, or consolemail:// (the default).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Klantenservice <service@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

if env.bool("SECURE_COOKIES", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

