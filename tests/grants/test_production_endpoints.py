"""/readyz and /metrics: what a load balancer and a Prometheus scraper see, and what nobody else
may see. Real checks against the test database, cache and storage; a dependency made to fail by
pointing it at a closed port or an unwritable folder."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app as celery_app
from grants.reporting.models import ExportJob, ExportStatus
from notifications.models import Channel, Status
from tests.grants.test_settings import PRODUCTION, run
from tests.notifications.factories import InAppNotificationFactory

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:1/0"
TOKEN = "scrape-" + "a" * 40


def ready(client) -> tuple[int, dict]:
    r = client.get("/readyz")
    assert r["Content-Type"] == "application/json"
    assert "no-store" in r["Cache-Control"]
    return r.status_code, r.json()


def test_readyz_says_ok_for_each_dependency(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker to ask: tasks run in-process
    assert ready(client) == (200, {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}})


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs a real broker (CELERY_BROKER_URL)")
def test_readyz_asks_the_real_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert ready(client) == (
        200,
        {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok", "broker": "ok"}},
    )


def test_readyz_fails_when_the_broker_is_down_and_does_not_say_why(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT)  # Celery reads it before its settings
    monkeypatch.setattr(celery_app.conf, "broker_url", CLOSED_PORT)
    status, body = ready(client)
    assert status == 503
    assert body == {
        "status": "failing",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "broker": "failing"},
    }


def test_readyz_fails_when_the_cache_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT}}
    status, body = ready(client)
    assert status == 503 and body["checks"] == {"database": "ok", "cache": "failing", "storage": "ok"}
    assert "127.0.0.1" not in str(body) and "Connection" not in str(body)


def test_readyz_fails_when_files_cannot_be_written(client, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(blocker)}},
    }
    status, body = ready(client)
    assert status == 503 and body["checks"]["storage"] == "failing"
    assert str(tmp_path) not in str(body)


def test_readyz_answers_plain_http_like_healthz_in_production(tmp_path):
    code = (
        "import django; django.setup(); from django.test import Client; c = Client(HTTP_HOST='grants.example.org'); "
        "r = c.get('/readyz'); print(r.status_code, r.json()['status'])"
    )
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "DJANGO_MEDIA_ROOT": str(tmp_path)}
    result = run(["-c", code], **env)
    assert result.stdout.split() == ["200", "ok"], result.stderr


# /metrics


def scrape(client, **headers) -> dict[tuple[str, tuple], float]:
    r = client.get("/metrics", **headers)
    assert r.status_code == 200, r.status_code
    assert r["Content-Type"].startswith("text/plain") and "no-store" in r["Cache-Control"]
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(r.content.decode())
        for s in family.samples
    }


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_AUTHORIZATION": "Bearer wrong-token"}, {"HTTP_AUTHORIZATION": TOKEN}],
    ids=["no token", "wrong token", "token without Bearer"],
)
def test_metrics_is_no_such_page_to_anonymous_users_without_the_token(client, settings, headers):
    settings.GRANTBENCH_METRICS_TOKEN = TOKEN
    assert client.get("/metrics", **headers).status_code == 404


def test_metrics_has_no_entry_by_empty_token_when_none_is_set(client, settings):
    settings.GRANTBENCH_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer").status_code == 404


def test_metrics_is_no_such_page_to_council_officers_and_panel_members(client_for, personas):
    for user in (personas.lead_officer, personas.signatory, personas.assessor, personas.panel_chair):
        assert client_for(user).get("/metrics").status_code == 404, user.email


def test_staff_and_the_scraper_read_metrics(client_for, personas, client, settings):
    settings.GRANTBENCH_METRICS_TOKEN = TOKEN
    assert ("grantbench_outbox_emails", (("status", "queued"),)) in scrape(client_for(personas.board_viewer))
    assert ("grantbench_outbox_emails", (("status", "queued"),)) in scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def test_requests_are_counted_by_view_name_never_by_path(client):
    def count(view: str, status: str) -> float:
        labels = {"method": "GET", "view": view, "status": status}
        return REGISTRY.get_sample_value("grantbench_http_requests_total", labels) or 0

    healthz, missing = count("healthz", "200"), count("unmatched", "404")
    for _ in range(3):
        client.get("/healthz")
    client.get("/no-such-page-4242")
    assert count("healthz", "200") - healthz == 3
    assert count("unmatched", "404") - missing == 1
    assert not [s for m in REGISTRY.collect() for s in m.samples if "4242" in str(s.labels)]


def test_outbox_backlog_and_failed_emails(client_for, personas):
    emails = [
        InAppNotificationFactory(channel=Channel.EMAIL, status=status)
        for status in (Status.QUEUED, Status.QUEUED, Status.DIGEST, Status.FAILED, Status.SENT)
    ]
    InAppNotificationFactory(channel=Channel.IN_APP, status=Status.QUEUED)  # not an email: not backlog
    type(emails[0]).objects.filter(pk=emails[0].pk).update(created_at=timezone.now() - timedelta(hours=2))
    samples = scrape(client_for(personas.administrator))
    assert samples[("grantbench_outbox_emails", (("status", "queued"),))] == 2
    assert samples[("grantbench_outbox_emails", (("status", "digest"),))] == 1
    assert samples[("grantbench_outbox_emails", (("status", "failed"),))] == 1
    assert samples[("grantbench_emails_failed", ())] == 1
    assert 7200 <= samples[("grantbench_outbox_oldest_queued_seconds", ())] < 7300


def test_export_durations_over_the_last_day(client_for, personas):
    now = timezone.now()

    def job(status: str, took: int, finished_ago: timedelta = timedelta(minutes=5)) -> None:
        j = ExportJob.objects.create(created_by=personas.programme_manager, table="awards", fmt="csv", status=status)
        finished = now - finished_ago
        ExportJob.objects.filter(pk=j.pk).update(created_at=finished - timedelta(seconds=took), finished_at=finished)

    for took in (10, 20, 30, 100):
        job(ExportStatus.DONE, took)
    job(ExportStatus.FAILED, 5)
    job(ExportStatus.DONE, 900, finished_ago=timedelta(hours=30))  # outside the window
    ExportJob.objects.create(created_by=personas.programme_manager, table="awards", fmt="csv")  # still queued
    samples = scrape(client_for(personas.programme_manager))
    assert samples[("grantbench_exports_finished_24h", (("status", "done"),))] == 4
    assert samples[("grantbench_exports_finished_24h", (("status", "failed"),))] == 1
    assert samples[("grantbench_export_duration_seconds", (("quantile", "0.5"),))] == 20
    assert samples[("grantbench_export_duration_seconds", (("quantile", "0.9"),))] == 100
    assert samples[("grantbench_export_duration_seconds", (("quantile", "1"),))] == 100
