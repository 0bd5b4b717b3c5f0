"""`check --deploy` refuses production shapes that break promises across machines: a per-process
cache, local files, eager Celery, a guessable secret key. Each guard alone, then the whole
command in subprocesses with the environment production sets (and the load test's opt-out)."""

import secrets

import pytest
from django.core.checks import run_checks

from tests.grants.test_settings import run

REDIS_CACHE = {
    "default": {"BACKEND": "grants.cache.PrefixedRedisCache", "LOCATION": "redis://r:6379/1", "KEY_PREFIX": "g"}
}
S3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "grantbench-files"}}
GOOD_KEY = secrets.token_urlsafe(50)
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "grants.example.org",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "REDIS_URL": "redis://redis.internal:6379/1",
    "AWS_STORAGE_BUCKET_NAME": "grantbench-files",
}


@pytest.fixture
def production(settings):
    """A production shape every guard accepts; each test breaks one thing."""
    settings.DEBUG = False
    settings.CACHES = REDIS_CACHE
    settings.STORAGES = {**settings.STORAGES, "default": S3}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.SECRET_KEY = GOOD_KEY
    settings.GRANTBENCH_SINGLE_HOST = False
    return settings


def ours(**kwargs) -> set[str]:
    return {m.id for m in run_checks(include_deployment_checks=True, **kwargs) if m.id.startswith("grantbench.")}


def test_the_production_shape_passes(production):
    assert ours() == set()


@pytest.mark.parametrize(
    "backend", ["locmem.LocMemCache", "dummy.DummyCache", "filebased.FileBasedCache"], ids=lambda b: b.split(".")[1]
)
def test_a_cache_each_process_keeps_to_itself_fails(production, backend):
    production.CACHES = {"default": {"BACKEND": f"django.core.cache.backends.{backend}", "LOCATION": "/tmp/x"}}
    assert ours() == {"grantbench.E001"}


def test_local_file_storage_fails_unless_the_install_says_it_is_one_host(production, tmp_path):
    production.STORAGES = {
        **production.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    assert ours() == {"grantbench.E002"}
    production.GRANTBENCH_SINGLE_HOST = True
    assert ours() == set()


def test_eager_celery_fails(production):
    production.CELERY_TASK_ALWAYS_EAGER = True
    assert ours() == {"grantbench.E003"}


@pytest.mark.parametrize(
    "key",
    [
        "",
        "django-insecure-embedded-development-key-never-used-in-production",
        "django-insecure-" + secrets.token_urlsafe(50),
        "short-but-random-" + secrets.token_urlsafe(8),
        "ab" * 40,
    ],
    ids=["empty", "the development key", "insecure prefix", "short", "few characters"],
)
def test_a_guessable_secret_key_fails(production, key):
    production.SECRET_KEY = key
    assert ours() == {"grantbench.E004"}


def test_with_debug_on_the_guards_stay_quiet(production):
    """The embedded default is for one developer on one machine."""
    production.DEBUG = True
    production.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    production.CELERY_TASK_ALWAYS_EAGER = True
    production.SECRET_KEY = ""
    assert ours() == set()


def test_the_guards_run_only_with_deploy(production):
    production.CELERY_TASK_ALWAYS_EAGER = True
    assert not [m for m in run_checks(include_deployment_checks=False) if m.id.startswith("grantbench.")]


def test_check_deploy_fails_on_the_debug_off_default_and_names_each_gap():
    env = {k: PRODUCTION_ENV[k] for k in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")}
    result = run(["manage.py", "check", "--deploy"], **env)
    assert result.returncode != 0
    for check_id in ("grantbench.E001", "grantbench.E002", "grantbench.E003"):
        assert check_id in result.stderr


def test_check_deploy_is_clean_with_the_production_environment():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_load_test_waives_no_guard():
    """`make loadtest` stores uploads through the S3 API (moto's server) as production does, so its
    settings waive nothing: with a bucket no grantbench error (the warnings are its plain-HTTP
    loopback), and without one the local-files guard still fires."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    loadtest = {"DJANGO_SETTINGS_MODULE": "bench.loadtest_settings", "DJANGO_SECURE_SSL_REDIRECT": "0"}
    result = run(["manage.py", "check", "--deploy"], **env, **loadtest)
    assert result.returncode == 0, result.stderr
    assert "grantbench." not in result.stdout + result.stderr
    env.pop("AWS_STORAGE_BUCKET_NAME")
    result = run(["manage.py", "check", "--deploy"], **env, **loadtest)
    assert result.returncode != 0
    assert "grantbench.E002" in result.stderr
