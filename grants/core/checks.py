"""Deploy checks: refuse production shapes that quietly break promises across machines.

Each check answers only with DEBUG off (`manage.py check --deploy`). The embedded default is
right for one developer on one machine; with several gunicorn workers on several hosts a
per-process cache counts sign-in and payment-code attempts per process (so the limits multiply),
local files exist on one host only, and eager Celery runs emails and exports inside the web
request. Registered by grants.apps (ready).
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.utils.module_loading import import_string

# Caches that live in one process or on one host's disk.
UNSHARED_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in UNSHARED_CACHES:
        return []
    return [
        Error(
            f"The default cache is {backend.rsplit('.', 1)[-1]}, which each process keeps to itself.",
            hint="Set REDIS_URL (or a redis:// CELERY_BROKER_URL): sign-in rate limits and the "
            "payment-code lockout must count in one place for every worker.",
            id="grantbench.E001",
        )
    ]


@register(Tags.security, deploy=True)
def storage_is_shared(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG or getattr(settings, "GRANTBENCH_SINGLE_HOST", False):
        return []
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    if not issubclass(import_string(backend), FileSystemStorage):
        return []
    return [
        Error(
            "Uploaded files are stored in a local folder, which other hosts cannot read.",
            hint="Set AWS_STORAGE_BUCKET_NAME (S3). A deliberate single-host install sets "
            "GRANTBENCH_SINGLE_HOST=1 instead.",
            id="grantbench.E002",
        )
    ]


@register(Tags.security, deploy=True)
def celery_is_not_eager(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG or not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return []
    return [
        Error(
            "Celery runs tasks eagerly inside web requests.",
            hint="Set CELERY_BROKER_URL and run a worker and one beat process: emails then retry "
            "and exports do not hold a web worker.",
            id="grantbench.E003",
        )
    ]


@register(Tags.security, deploy=True)
def secret_key_is_secret(app_configs=None, **kwargs) -> list[Error]:
    """Django's W009 says the same as a warning; a known or guessable key forges sessions. The
    development key in config/settings.py starts with Django's insecure prefix, so it fails here."""
    if settings.DEBUG:
        return []
    try:
        key = str(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to read an empty key
        key = ""
    if (
        key
        and not key.startswith(SECRET_KEY_INSECURE_PREFIX)
        and len(key) >= SECRET_KEY_MIN_LENGTH
        and len(set(key)) >= SECRET_KEY_MIN_UNIQUE_CHARACTERS
    ):
        return []
    return [
        Error(
            "DJANGO_SECRET_KEY is empty, the development key, or too short or simple to be secret.",
            hint=f"Generate one of at least {SECRET_KEY_MIN_LENGTH} random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
            id="grantbench.E004",
        )
    ]
