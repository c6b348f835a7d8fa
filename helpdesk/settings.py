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
else:
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env.bool(
        "DB_SERVER_SIDE_BINDING", default=True
    )
# Parameters travel apart from the SQL, so the inbound hot path's hand-written statements
# (helpdesk/rows.py) can be prepared: PostgreSQL then skips parsing and planning them,
# about a third of its CPU per inbound contact. Behind a pooler in transaction mode that
# does not track prepared statements, set DB_PREPARED_STATEMENTS=false.
DB_PREPARED_STATEMENTS = (
    IS_POSTGRES and DATABASES["default"]["OPTIONS"]["server_side_binding"]
    and env.bool("DB_PREPARED_STATEMENTS", default=True)
)
if DB_PREPARED_STATEMENTS:
    # psycopg prepares a statement asked for (prepare=True) only with a threshold set;
    # one no query reaches keeps it from preparing the ORM's on its own.
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 2**31 - 1
if IS_POSTGRES and env.int("DB_POOL_MAX_SIZE", default=0) > 0:
    # psycopg's connection pool (per process): requests borrow an open connection instead of
    # opening one each (CONN_MAX_AGE must stay 0 with a pool).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE"),
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }

# HTTP requests run on HTTP_THREADS long-lived threads per server process (at most that
# many requests at once per process, each thread keeping its database connection between
# requests when CONN_MAX_AGE > 0). See helpdesk/http_handler.py.
HTTP_THREADS = env.int("HTTP_THREADS", default=8)
if HTTP_THREADS < 1:
    raise environ.ImproperlyConfigured("HTTP_THREADS must be at least 1")

# Live sockets (chat visitors) do their database work on a few threads of their own, each
# keeping its connection between calls: at most SOCKET_DB_THREADS connections per server
# process; an idle thread closes its connection after SOCKET_DB_IDLE_SECONDS, and a
# connection is replaced after SOCKET_DB_CONN_MAX_AGE seconds. See helpdesk/realtime/dbthreads.py.
SOCKET_DB_THREADS = env.int("SOCKET_DB_THREADS", default=8)
SOCKET_DB_IDLE_SECONDS = env.float("SOCKET_DB_IDLE_SECONDS", default=30.0)
SOCKET_DB_CONN_MAX_AGE = env.float("SOCKET_DB_CONN_MAX_AGE", default=300.0)
if SOCKET_DB_THREADS < 1 or SOCKET_DB_IDLE_SECONDS <= 0 or SOCKET_DB_CONN_MAX_AGE < 0:
    raise environ.ImproperlyConfigured(
        "SOCKET_DB_THREADS must be at least 1, SOCKET_DB_IDLE_SECONDS positive, "
        "SOCKET_DB_CONN_MAX_AGE 0 or more")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

# Which Redis channel layer: "pubsub" (channels_redis.pubsub: Redis Pub/Sub pushes each
# message, one PUBLISH per group; a process that is not connected misses what is sent
# meanwhile, which the workspace and the widget re-fetch on reconnect anyway) or "lists"
# (channels_redis.core: per-process inboxes in sorted sets, three Redis round trips per
# group_send and two per message received). bench.chat measured pubsub at about 20% less
# server CPU per chat message and half the delivery time under load.
CHANNEL_LAYER = env.str("CHANNEL_LAYER", default="pubsub")
if CHANNEL_LAYER not in ("lists", "pubsub"):
    raise environ.ImproperlyConfigured('CHANNEL_LAYER must be "lists" or "pubsub"')

if REDIS_URL:
    # redis-py 8 times reads out after 5 s by default, longer than channels-redis' 5 s
    # BZPOPMIN wait, which killed every socket idle for 5 s. Read for longer.
    _layer_config = {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                     "prefix": env.str("CHANNEL_PREFIX", default="asgi")}
    if CHANNEL_LAYER == "pubsub":
        CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                      "CONFIG": _layer_config}}
    else:
        # Messages waiting for one server process (all its sockets share one inbox); beyond
        # this channels-redis DROPS events silently. Its default of 100 lost agents' events
        # under a burst of chat messages.
        _layer_config["capacity"] = env.int("CHANNEL_LAYER_CAPACITY", default=10000)
        CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                      "CONFIG": _layer_config}}
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
    "redeliver-stale-messages": {"task": "helpdesk.tickets.tasks.redeliver_stale_messages", "schedule": 300},
    "poll-mailboxes": {"task": "channels_integrations.email.tasks.poll_mailboxes",
                       "schedule": env.int("IMAP_POLL_SECONDS", default=60)},
    "requeue-shop-deliveries": {"task": "channels_integrations.shops.tasks.requeue_stuck_deliveries",
                                "schedule": 300},
    "requeue-receipt-imports": {"task": "channels_integrations.shops.tasks.requeue_stuck_receipt_imports",
                                "schedule": 300},
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
        "agents.authentication.StaffTokenAuthentication",
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
# Photos taken at the store counter (images only; at most MAX_ATTACHMENTS_PER_MESSAGE of them).
STORE_PHOTO_MAX_BYTES = env.int("STORE_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
# Live chat: messages (text or file) accepted per minute from one visitor and from one address.
CHAT_RATE_PER_VISITOR_PER_MINUTE = env.int("CHAT_RATE_PER_VISITOR_PER_MINUTE", default=30)
CHAT_RATE_PER_IP_PER_MINUTE = env.int("CHAT_RATE_PER_IP_PER_MINUTE", default=120)
if min(CHAT_RATE_PER_VISITOR_PER_MINUTE, CHAT_RATE_PER_IP_PER_MINUTE) < 0:
    raise environ.ImproperlyConfigured("CHAT_RATE_* must be 0 (no limit) or a positive number")

# Shops and point of sale: open a ticket with a drafted message when a shipment turns
# delayed or failed (orders from the API and receipts; each shop connection has its own flag).
PROACTIVE_SHIPPING_NOTICES = env.bool("PROACTIVE_SHIPPING_NOTICES", default=False)
# Receipts per database round trip when importing store receipts (CSV).
RECEIPT_IMPORT_BATCH = env.int("RECEIPT_IMPORT_BATCH", default=2000)
if RECEIPT_IMPORT_BATCH <= 0:
    raise environ.ImproperlyConfigured("RECEIPT_IMPORT_BATCH must be a positive number")
# Largest receipt file (CSV) accepted by the upload page, in bytes.
RECEIPT_IMPORT_MAX_BYTES = env.int("RECEIPT_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
if RECEIPT_IMPORT_MAX_BYTES <= 0:
    raise environ.ImproperlyConfigured("RECEIPT_IMPORT_MAX_BYTES must be a positive number")
# A receipt import that reported no progress for this long is taken as abandoned (its
# worker died) and runs again; the sweeper also queues again imports whose task was lost.
RECEIPT_IMPORT_CLAIM_AFTER = _minutes("RECEIPT_IMPORT_CLAIM_MINUTES", 30)
# A shop webhook delivery still unprocessed after this long is queued again (its task was lost).
SHOP_DELIVERY_REQUEUE_AFTER = _minutes("SHOP_DELIVERY_REQUEUE_MINUTES", 10)
# A shipment first seen already troubled opens a proactive ticket only when the carrier's
# status is at most this old (an old delay found late is history, not news).
PROACTIVE_NOTICE_MAX_AGE_HOURS = env.int("PROACTIVE_NOTICE_MAX_AGE_HOURS", default=72)
if PROACTIVE_NOTICE_MAX_AGE_HOURS <= 0:
    raise environ.ImproperlyConfigured("PROACTIVE_NOTICE_MAX_AGE_HOURS must be a positive number")
PROACTIVE_NOTICE_MAX_AGE = timedelta(hours=PROACTIVE_NOTICE_MAX_AGE_HOURS)

# Outgoing mail: smtp://user:pass@host:port, smtp+tls://…, or consolemail:// (the default).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Klantenservice <service@localhost>")
# Seconds before a hung connection to the mail server gives up; keep it well below
# DELIVERY_CLAIM_SECONDS so an attempt always ends before its claim expires.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
# Seconds a delivery task holds a queued reply; after that an unfinished attempt is
# retried by the sweeper (with the same email Message-ID). See helpdesk/tickets/delivery.py.
DELIVERY_CLAIM_SECONDS = env.int("DELIVERY_CLAIM_SECONDS", default=900)
if DELIVERY_CLAIM_SECONDS <= EMAIL_TIMEOUT:
    raise environ.ImproperlyConfigured("DELIVERY_CLAIM_SECONDS must be larger than EMAIL_TIMEOUT")
# Email the owner when a ticket is handed to them or a reply to their customer bounces.
NOTIFY_OWNER_BY_EMAIL = env.bool("NOTIFY_OWNER_BY_EMAIL", default=True)
# The helpdesk's public address, for links in notification mail.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Inbound email -----------------------------------------------------------
# Raw messages are kept for audit and replay up to this size (bytes); bigger ones are cut.
EMAIL_RAW_MAX_BYTES = env.int("EMAIL_RAW_MAX_BYTES", default=25 * 1024 * 1024)
# Key that encrypts mailbox passwords stored in the database (empty: derived from SECRET_KEY).
EMAIL_SECRETS_KEY = env.str("EMAIL_SECRETS_KEY", default="")
# Our own staff's mail domains: mail claiming to come from them is only accepted when our
# receiving server vouches for it (Authentication-Results of a trusted authserv-id, dmarc=pass).
STAFF_EMAIL_DOMAINS = [d.strip().lower() for d in env.list("STAFF_EMAIL_DOMAINS", default=[]) if d.strip()]
EMAIL_TRUSTED_AUTHSERV_IDS = [
    d.strip().lower() for d in env.list("EMAIL_TRUSTED_AUTHSERV_IDS", default=[]) if d.strip()
]
# Mail loops: more than this many mails from one sender within the window are kept as
# ignored automatic mail ("rate limited") and open nothing. 0 switches the limit off.
EMAIL_RATE_LIMIT_PER_SENDER = env.int("EMAIL_RATE_LIMIT_PER_SENDER", default=20)
EMAIL_RATE_LIMIT_WINDOW_SECONDS = env.int("EMAIL_RATE_LIMIT_WINDOW_SECONDS", default=600)
if EMAIL_RATE_LIMIT_PER_SENDER < 0 or EMAIL_RATE_LIMIT_WINDOW_SECONDS <= 0:
    raise environ.ImproperlyConfigured("EMAIL_RATE_LIMIT_* must be 0 or positive (window > 0)")
# IMAP polling: seconds per network operation, messages fetched per round trip, and the
# longest wait between attempts on a failing mailbox (the backoff doubles up to this).
IMAP_TIMEOUT = env.int("IMAP_TIMEOUT", default=30)
IMAP_BATCH = env.int("IMAP_BATCH", default=50)
IMAP_MAX_BACKOFF_SECONDS = env.int("IMAP_MAX_BACKOFF_SECONDS", default=3600)
# Inbound provider webhooks (django-anymail): Mailgun signs with its webhook signing key;
# SendGrid, Postmark and Amazon SES (SNS) authenticate with HTTP basic auth "user:password"
# in the webhook URL. A provider's webhook refuses everything until its secret is set.
ANYMAIL = {
    "WEBHOOK_SECRET": [s for s in env.list("ANYMAIL_WEBHOOK_SECRET", default=[]) if s],
    "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
    "AMAZON_SES_AUTO_CONFIRM_SNS_SUBSCRIPTIONS": env.bool("AMAZON_SES_AUTO_CONFIRM_SNS", default=False),
}

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

