"""Grantbench settings, read from the environment.

With no variables set Grantbench runs on its embedded default: SQLite, local media
files, Celery tasks run eagerly in-process and email printed to the console, so a
newcomer needs no server. Production sets DATABASE_URL, CELERY_BROKER_URL,
AWS_STORAGE_BUCKET_NAME and friends (see README).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# The fallback key only ever serves the embedded development default: production refuses to start
# without a key of its own rather than sign sessions with one published in this file.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: with DJANGO_DEBUG=0 there is no built-in key")
    SECRET_KEY = "django-insecure-embedded-development-key-never-used-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (comma-separated host names) when DJANGO_DEBUG=0")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    # Our apps in layer order, bottom to top (see README, "Architecture"): each imports only those
    # above it in this list, checked by import-linter.
    "grants",
    "notifications",
    "applications",
    "grants.awards",
    "scoring",
    "grants.reporting",
    "grants.api",  # issue 18: the read-only JSON API, above everything it reads
]

MIDDLEWARE = [
    # First, so a deadline is judged at the moment the request arrived (grants/core/arrival.py).
    "grants.core.arrival.ArrivalMiddleware",
    # Outermost, so every response, redirects and errors included, has its id and is counted.
    "grants.core.logs.RequestIdMiddleware",
    "grants.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, so static files keep their caching and carry no policy; above sessions and
    # CSRF, so it sees the cookies they set (headers block at the end of this file).
    "grants.core.headers.PrivateCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "grants.core.sessions.RenewingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After auth, so a body too large to read (a 400) still renders the page with its header.
    "grants.middleware.StripNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "grants.middleware.RequireStaffMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "grants.context_processors.service",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite by default, DATABASE_URL (PostgreSQL) in production and CI.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # JIT compiling cost seconds on the ranking, dashboard and export queries (their plans have
    # many subqueries) and saved nothing on these short OLTP queries; turned off per connection.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get("DJANGO_PG_OPTIONS", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "grants.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env_list("DJANGO_PASSWORD_HASHERS") or [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email only, verified, rate limited; MFA by TOTP with recovery codes.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "signup": "20/m/ip",
    # Ours, read through allauth.core.ratelimit: wrong authenticator codes when approving a
    # payment; 5 in 15 minutes lock payments for that finance officer (grants.awards.services).
    "payment_code": "5/15m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Grantbench: "
# Rate limits count by client address. Behind a load balancer every request comes from its
# address unless allauth is told how many proxies (ALLAUTH_TRUSTED_PROXY_COUNT, read from the right
# of X-Forwarded-For) or which header (ALLAUTH_TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP) to trust.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT") or "0")
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Grantbench"
# Staff and panel members without two-factor set it up straight after signing in (grants.entrances):
# for this long the password they gave stands in for allauth's reauthentication on the set-up
# pages only (long enough to install an authenticator app), then the password is asked again.
GRANTBENCH_MFA_SET_UP_SECONDS = 15 * 60
# allauth's forms and messages in the service's words: "Enter your email address", not "This
# field is required." (grants.entrances).
ACCOUNT_FORMS = {
    name: f"grants.entrances.{cls}"
    for name, cls in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}
MFA_FORMS = {
    "authenticate": "grants.entrances.AuthenticateForm",
    "reauthenticate": "grants.entrances.MFAReauthenticateForm",
    "activate_totp": "grants.entrances.ActivateTOTPForm",
}
MFA_ADAPTER = "grants.entrances.MFAAdapter"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files, served by whitenoise: static/ holds our CSS and JavaScript, and static/govuk/
# GOV.UK Frontend as `make css` builds it (compiled from Sass with an Arial font stack; its
# JavaScript copied from npm). static/root/ is served at the site's root: /favicon.ico,
# /favicon.svg, /apple-touch-icon.png and /manifest.json, which browsers ask for by those names.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-public/"  # never served: files go out only through permission-checking views

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = int(os.environ.get("GRANTBENCH_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o640

# Cache (login rate limits, locks): Redis when given, local memory by default. Rate limits only
# hold if every gunicorn worker counts in the same place, so without REDIS_URL a Redis broker
# doubles as the cache (keys prefixed, so they never meet Celery's).
REDIS_URL = os.environ.get("REDIS_URL", "")
if not REDIS_URL and os.environ.get("CELERY_BROKER_URL", "").startswith(("redis://", "rediss://")):
    REDIS_URL = os.environ["CELERY_BROKER_URL"]
CACHES = {
    "default": {
        "BACKEND": "grants.cache.PrefixedRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "grantbench",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Figures added up over every award (dashboard, board report, portfolio, ranking) are kept in the
# cache under the database's data version (grants/core/datacache.py). Off: always computed afresh
# (tests that count what computing a page costs turn it off).
DATA_CACHE = os.environ.get("GRANTBENCH_DATA_CACHE", "on") != "off"

# Celery: eager in-process by default; a real broker and worker with CELERY_BROKER_URL.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, a task a dead worker held goes back to the queue only after Redis's visibility
# timeout (kombu's default: an hour). Beyond one machine (README), set it longer than the slowest
# task; the outbox's claims make a task handed out twice send each email once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "notifications-reminders": {
        "task": "notifications.tasks.reminders_send_due",
        "schedule": crontab(minute=5),
    },
    "notifications-digests": {
        "task": "notifications.tasks.digests_send",
        "schedule": crontab(hour=7, minute=30),
    },
    "scoring-rounds-mark-decided": {
        "task": "scoring.tasks.rounds_mark_decided",
        "schedule": crontab(minute=20),
    },
    # Every retention rule (grants.core.personal_data), export files included.
    "grants-retention-apply": {
        "task": "grants.tasks.retention_apply",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Email: console by default, SMTP with EMAIL_HOST; GOV.UK Notify via django-gov-notify (README).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Grantbench <noreply@grantbench.example>")
GOVUK_NOTIFY_API_KEY = os.environ.get("GOVUK_NOTIFY_API_KEY", "")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = os.environ.get("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", "")

# The service itself.
GRANTBENCH_SERVICE_NAME = "Apply for and manage council funding"
# Where people reach the service: every absolute link in an email is built from it, through one
# function (grants.core.links.service_url). `make run` sets it from its HOST and PORT.
GRANTBENCH_BASE_URL = os.environ.get("GRANTBENCH_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Deadlines are judged at the moment a request reached the service (grants/core/arrival.py): the
# header the edge (load balancer or reverse proxy) stamps and always overwrites, e.g. nginx's
# `proxy_set_header X-Request-Start "t=${msec}";`. Empty (the default): no header is trusted and
# the time this process started on the request counts. Set it only behind such an edge.
GRANTBENCH_ARRIVAL_HEADER = os.environ.get("GRANTBENCH_ARRIVAL_HEADER", "")
# How far into the past a stamp is honoured: the grace for a request queued while the round closed.
GRANTBENCH_ARRIVAL_GRACE_SECONDS = int(os.environ.get("GRANTBENCH_ARRIVAL_GRACE_SECONDS", "120"))
# The publisher prefix 360Giving issues to the funder ("360G-<prefix>-<award reference>").
GRANTBENCH_360_PREFIX = os.environ.get("GRANTBENCH_360_PREFIX", "grantbench-demo")
# 360Giving fundingOrganization id when the funder has no org-id of its own (set the real one in production).
GRANTBENCH_FUNDER_ORG_ID = os.environ.get("GRANTBENCH_FUNDER_ORG_ID", f"360G-{GRANTBENCH_360_PREFIX}-FUNDER")

# Sessions expire: two weeks if idle is too long for staff data, so 8 hours, renewed on use.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 60 * 60)))
# Renewed on use at most once a minute (grants/core/sessions.py), not saved on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Production hardening: `manage.py check --deploy` is clean with DJANGO_DEBUG=0.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # The load balancer's health check speaks plain HTTP to the container.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(int(timedelta(days=365).total_seconds()))))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# ---------------------------------------------------------------------------------------------
# Production guards and operations (issue 14): deploy checks, the beat lock, logs, Sentry, metrics.
# grants.core.checks fails `check --deploy` (DEBUG off) on a per-process cache, local files,
# eager Celery or a guessable key. A deliberate one-host install (the load test) says so here:
GRANTBENCH_SINGLE_HOST = env_bool("GRANTBENCH_SINGLE_HOST", False)

# Celery beat: one scheduler across every host, held by a lock in Redis (celery-redbeat). A second
# beat process waits for the lock and takes over when the first stops (or its lock expires,
# 5 x CELERY_BEAT_MAX_LOOP_INTERVAL after it died). Keys are prefixed apart from the cache's,
# whose clear() deletes "grantbench:*".
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = int(os.environ.get("CELERY_BEAT_MAX_LOOP_INTERVAL", "30"))
CELERY_REDBEAT_REDIS_URL = os.environ.get("CELERY_REDBEAT_REDIS_URL") or REDIS_URL or None
CELERY_REDBEAT_KEY_PREFIX = os.environ.get("CELERY_REDBEAT_KEY_PREFIX", "grantbench-beat")

# Logs: one JSON object a line in production (text while DEBUG), each with the request id
# (grants.core.logs). GRANTBENCH_REQUEST_ID_HEADER names the header a trusted proxy sets
# (e.g. X-Request-ID); without it the id is always generated here.
GRANTBENCH_REQUEST_ID_HEADER = os.environ.get("GRANTBENCH_REQUEST_ID_HEADER", "")
GRANTBENCH_LOG_FORMAT = os.environ.get("GRANTBENCH_LOG_FORMAT") or ("text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "grants.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "grants.core.logs.json_formatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": GRANTBENCH_LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Issue 14, items 2 and 7: every entrance through allauth (grants.entrances) ---------------
# The admin's own sign-in is replaced (grants/admin.py); this adapter makes reauthentication ask
# people with two-factor on for a code, never their password alone.
ACCOUNT_ADAPTER = "grants.entrances.AccountAdapter"
# Sentry only when SENTRY_DSN is set; no personal data (user emails, cookies, addresses) is sent.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Prometheus at /metrics for staff, or for a scraper sending "Authorization: Bearer <token>".
GRANTBENCH_METRICS_TOKEN = os.environ.get("GRANTBENCH_METRICS_TOKEN", "")
if not DEBUG:
    # Load balancers probe readiness over plain HTTP, as they do /healthz.
    SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^readyz$"]

# Headers (issue 14): a Content-Security-Policy that allows no inline script, style or event
# handler (pages load their JavaScript and CSS from static files; an inline script that must stay
# carries nonce="{{ request.csp_nonce }}"), and `Cache-Control: private, no-store` on every
# response that depends on who asks (grants.core.headers). Static files are served from this host
# by whitenoise; a STATIC_URL on another host (a CDN) is allowed as a source of scripts, styles,
# fonts and images. img-src allows data: for the two-factor set-up page's QR code.
from urllib.parse import urlsplit  # noqa: E402

from csp.constants import NONCE, NONE, SELF  # noqa: E402

_static_host = urlsplit(STATIC_URL)
_static_origin = [f"{_static_host.scheme or 'https'}://{_static_host.netloc}"] if _static_host.netloc else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *_static_origin, NONCE],
        "style-src": [SELF, *_static_origin],
        "img-src": [SELF, *_static_origin, "data:"],
        "font-src": [SELF, *_static_origin],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# ---------------------------------------------------------------------------------------------
# Uploads: malware scanning (issue 14, item 5; grants/core/upload_scan.py, README "Uploads").
# GRANTBENCH_MALWARE_SCANNER names a callable `scan(file, *, name) -> str | None` (None: clean;
# a string: what it found; raises: could not scan). Unset: files are clean as soon as stored.
# Set: files are pending until a Celery task has scanned them, and nobody can download them
# before; beat re-queues any left pending (a lost task, the scanner down).
GRANTBENCH_MALWARE_SCANNER = os.environ.get("GRANTBENCH_MALWARE_SCANNER", "")
if GRANTBENCH_MALWARE_SCANNER:
    CELERY_BEAT_SCHEDULE["uploads-rescan-pending"] = {
        "task": "grants.core.upload_scan.rescan_pending",
        "schedule": 5 * 60,
    }
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# The pages a public service owes (issue 15, item 6): help, privacy, cookies, accessibility.
# The service-wide contact: shown on help pages, and on rounds and in emails when neither the
# round nor its programme names one of its own.
GRANTBENCH_CONTACT_NAME = os.environ.get("GRANTBENCH_CONTACT_NAME", "LGA grants team")
GRANTBENCH_CONTACT_EMAIL = os.environ.get("GRANTBENCH_CONTACT_EMAIL", "grants@grantbench.example")
GRANTBENCH_CONTACT_PHONE = os.environ.get("GRANTBENCH_CONTACT_PHONE", "")
# How soon the team answers an enquiry or a request for another format, in working days.
GRANTBENCH_RESPONSE_DAYS = int(os.environ.get("GRANTBENCH_RESPONSE_DAYS", "5"))
# The funder is the data controller; its data protection officer answers rights requests.
GRANTBENCH_CONTROLLER_NAME = os.environ.get("GRANTBENCH_CONTROLLER_NAME", "the Local Government Association")
GRANTBENCH_DPO_EMAIL = os.environ.get("GRANTBENCH_DPO_EMAIL", "dataprotection@grantbench.example")
# The phase banner's feedback link: a page or a mailto: address.
GRANTBENCH_FEEDBACK_URL = os.environ.get(
    "GRANTBENCH_FEEDBACK_URL", f"mailto:{GRANTBENCH_CONTACT_EMAIL}?subject=Feedback%20on%20Grantbench"
)
# Accessibility statement dates (ISO): when it was prepared and last reviewed. Change them when the
# statement is reviewed, not on every deploy.
GRANTBENCH_ACCESSIBILITY_PREPARED = os.environ.get("GRANTBENCH_ACCESSIBILITY_PREPARED", "2026-12-06")
GRANTBENCH_ACCESSIBILITY_REVIEWED = os.environ.get("GRANTBENCH_ACCESSIBILITY_REVIEWED", "2026-12-06")
# How long records are kept, in years after the grant or round they belong to ends (the privacy
# notice states them). Audit trail and awards: the funder's grant records retention.
GRANTBENCH_RETENTION_YEARS = int(os.environ.get("GRANTBENCH_RETENTION_YEARS", "7"))
# Issue 18 item 5: the retention schedule, applied daily by grants.tasks.retention_apply (each rule
# a service registered in an app's personal_data.py) and stated in the privacy notice. In days:
# - email_bodies: what a sent message was rendered from (its context) is blanked; the row stays;
# - abandoned_drafts: bids never submitted are deleted, with their files, after their round closed;
# - closed_accounts: inactive accounts are erased (anonymised) after they were last used;
# - export_files: export files (CSV, spreadsheets) hold personal data and are deleted after they
#   were made (grants.reporting.services.exports_clean_up).
GRANTBENCH_RETENTION = {
    "email_bodies_days": int(os.environ.get("GRANTBENCH_EMAIL_BODIES_DAYS", "90")),
    "abandoned_drafts_days": int(os.environ.get("GRANTBENCH_ABANDONED_DRAFTS_DAYS", "180")),
    "closed_accounts_days": int(os.environ.get("GRANTBENCH_CLOSED_ACCOUNTS_DAYS", "365")),
    "export_files_days": int(os.environ.get("GRANTBENCH_EXPORT_RETENTION_DAYS", "7")),
}
# ---------------------------------------------------------------------------------------------

# Issue 18, the JSON API (grants/api): requests per token (ninja's throttle, in the cache above)
# and how long a new token lasts unless its owner picks otherwise (at most a year).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/m")
API_TOKEN_DEFAULT_DAYS = 90
