"""Settings from the environment: the embedded default, the production shape and check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': s.CELERY_BROKER_URL, 'storage': s.STORAGES['default']['BACKEND'], 'email': s.EMAIL_BACKEND, "
    "'debug': s.DEBUG}))"
)
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("DATABASE_URL", "CELERY_", "AWS_", "DJANGO_", "REDIS_URL", "EMAIL_"))
}


def run(code: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *code],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_embedded_default_needs_no_server():
    import json

    out = json.loads(run(["-c", PROBE]).stdout)
    assert out == {
        "db": "django.db.backends.sqlite3",
        "eager": True,
        "broker": "memory://",
        "storage": "django.core.files.storage.FileSystemStorage",
        "email": "django.core.mail.backends.console.EmailBackend",
        "debug": True,
    }


def test_production_shape_from_the_environment():
    import json

    out = json.loads(
        run(
            ["-c", PROBE],
            DATABASE_URL="postgres://u@db.internal:5432/grantbench",
            CELERY_BROKER_URL="redis://cache.internal:6379/0",
            AWS_STORAGE_BUCKET_NAME="grantbench-files",
            AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
            EMAIL_HOST="smtp.internal",
        ).stdout
    )
    assert out["db"] == "django.db.backends.postgresql"
    assert out["eager"] is False and out["broker"] == "redis://cache.internal:6379/0"
    assert out["storage"] == "storages.backends.s3.S3Storage"
    assert out["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_no_secrets_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    suspicious = [p for p in tracked if p.endswith((".pem", ".key", ".env")) or Path(p).name in {".env", "id_rsa"}]
    assert not suspicious


PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x7$Gq!" * 10, "DJANGO_ALLOWED_HOSTS": "grants.example.org"}


def settings_probe(expression: str, **env: str) -> object:
    import json

    code = (
        f"import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({expression}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_refuses_to_start_without_a_secret_key():
    result = run(["-c", "import django; django.setup()"], **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr
    assert "django-insecure" not in result.stdout


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = run(["-c", "import django; django.setup()"], **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_trusted_proxies_for_rate_limits_come_from_the_environment():
    probe = "[s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER]"
    assert settings_probe(probe) == [0, None]
    assert settings_probe(probe, ALLAUTH_TRUSTED_PROXY_COUNT="1", ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP") == [
        1,
        "X-Real-IP",
    ]


def test_rate_limits_are_shared_through_the_redis_broker_when_no_redis_url():
    probe = "[s.CACHES['default']['BACKEND'].rsplit('.', 1)[1], s.CACHES['default'].get('LOCATION')]"
    assert settings_probe(probe) == ["LocMemCache", None]
    assert settings_probe(probe, CELERY_BROKER_URL="redis://broker.internal:6379/0") == [
        "PrefixedRedisCache",  # its clear() leaves the broker's queues alone (tests/grants/test_cache.py)
        "redis://broker.internal:6379/0",
    ]
    assert settings_probe(
        probe, CELERY_BROKER_URL="redis://broker.internal:6379/0", REDIS_URL="redis://cache.internal:6379/1"
    ) == ["PrefixedRedisCache", "redis://cache.internal:6379/1"]
    assert settings_probe(probe, CELERY_BROKER_URL="amqp://broker.internal//")[0] == "LocMemCache"


def test_health_check_answers_plain_http_while_pages_redirect_to_https():
    code = (
        "import django; django.setup(); from django.test import Client; c = Client(HTTP_HOST='grants.example.org'); "
        "print(c.get('/healthz').status_code, c.get('/rounds/').status_code)"
    )
    result = run(["-c", code], **PRODUCTION)
    assert result.stdout.split() == ["200", "301"], result.stderr
