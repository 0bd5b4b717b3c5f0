"""The retention schedule: each rule a service, idempotent, applied by one beat task."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import Bid, BidStatus, EvidenceFile
from applications.services.retention import abandoned_drafts_delete
from grants import tasks
from grants.erasure import closed_accounts_erase
from grants.models import AuditEvent, User
from notifications.models import Notification, Status
from notifications.retention import email_bodies_blank
from tests import factories as f
from tests.applications.factories import BidFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 1, 10, 9, 0, tzinfo=timezone.get_default_timezone())
PERIODS = {"email_bodies_days": 30, "abandoned_drafts_days": 60, "closed_accounts_days": 90, "export_files_days": 5}


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.GRANTBENCH_RETENTION = dict(PERIODS)


def _message(user, status=Status.SENT):
    return Notification.objects.create(
        recipient=user, channel="email", event="bid_submitted", subject="Bid submitted", context={"who": "Ann"},
        status=status, dedupe_key=f"k{Notification.objects.count()}",
    )  # fmt: skip


def test_message_bodies_are_blanked_after_the_period_and_the_rows_kept(personas):
    with time_machine.travel(T0, tick=False):
        old, queued = _message(personas.lead_officer), _message(personas.lead_officer, Status.QUEUED)
    with time_machine.travel(T0 + timedelta(days=25), tick=False):
        recent = _message(personas.lead_officer)
    with time_machine.travel(T0 + timedelta(days=29), tick=False):
        assert email_bodies_blank(now=timezone.now()) == 0
    with time_machine.travel(T0 + timedelta(days=31), tick=False):
        assert email_bodies_blank(now=timezone.now()) == 1
        assert email_bodies_blank(now=timezone.now()) == 0  # idempotent
    old.refresh_from_db()
    assert old.context == {} and old.subject == "Bid submitted" and old.recipient == personas.lead_officer
    assert Notification.objects.get(pk=queued.pk).context and Notification.objects.get(pk=recent.pk).context


def test_drafts_never_submitted_are_deleted_with_their_files_after_the_round_closed(
    personas, django_capture_on_commit_callbacks
):
    rnd = f.RoundFactory(programme=personas.programme, opens_at=T0 - timedelta(days=30), closes_at=T0)
    draft = BidFactory(round=rnd, lead=personas.lead_org, created_by=personas.lead_officer)
    row = EvidenceFile.objects.create(
        bid=draft, file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4", content_type="application/pdf"),
        original_name="plan.pdf", content_type="application/pdf", size=8, uploaded_by=personas.lead_officer,
    )  # fmt: skip
    stored = row.file.name
    submitted = BidFactory(round=rnd, lead=personas.other_org, status=BidStatus.SUBMITTED, submitted_at=T0)
    with time_machine.travel(T0 + timedelta(days=59), tick=False):
        assert abandoned_drafts_delete(now=timezone.now()) == 0
    with time_machine.travel(T0 + timedelta(days=61), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert abandoned_drafts_delete(now=timezone.now()) == 1
        assert abandoned_drafts_delete(now=timezone.now()) == 0
    assert list(Bid.objects.filter(round=rnd)) == [submitted]
    assert not EvidenceFile.objects.filter(pk=row.pk).exists() and not default_storage.exists(stored)
    event = AuditEvent.objects.get(action="bid.abandoned_deleted")
    assert event.target_id == str(draft.pk) and event.actor is None and event.data["files"] == 1


def test_accounts_closed_longer_than_the_period_are_erased(personas):
    with time_machine.travel(T0, tick=False):
        closed = f.UserFactory(is_active=False, full_name="Cora Closed")
        User.objects.filter(pk=closed.pk).update(last_login=timezone.now())
        active = f.UserFactory(full_name="Ada Active")
    with time_machine.travel(T0 + timedelta(days=89), tick=False):
        assert closed_accounts_erase(now=timezone.now()) == 0
    with time_machine.travel(T0 + timedelta(days=91), tick=False):
        assert closed_accounts_erase(now=timezone.now()) == 1
        assert closed_accounts_erase(now=timezone.now()) == 0
    closed.refresh_from_db()
    assert closed.full_name == f"Erased person {closed.pk}" and not closed.has_usable_password()
    assert User.objects.get(pk=active.pk).full_name == "Ada Active"
    event = AuditEvent.objects.get(action="user.erased")
    assert event.actor is None and "90 days" in event.summary


def test_the_beat_task_applies_every_rule(personas, settings):
    from config.celery import app

    with time_machine.travel(T0, tick=False):
        _message(personas.lead_officer)
    with time_machine.travel(T0 + timedelta(days=400), tick=False):
        done = tasks.retention_apply()
    assert done == {"abandoned_drafts": 0, "closed_accounts": 0, "email_bodies": 1, "export_files": 0}
    entry = settings.CELERY_BEAT_SCHEDULE["grants-retention-apply"]
    assert entry["task"] == tasks.retention_apply.name and entry["task"] in app.tasks


def test_the_privacy_notice_states_the_periods_from_settings(client):
    text = " ".join(client.get(reverse("privacy")).content.decode().split())
    assert "The content of each message for 30 days" in text
    assert "Bids never submitted: deleted 60 days after the round closes" in text
    assert "erased 90 days after it is closed" in text
    assert "5 days, then deleted automatically" in text
    for basis in ("Article 6(1)(e)", "Article 6(1)(c)", "Article 6(1)(b)", "Article 6(1)(f)"):
        assert basis in text
    assert "Two-factor authentication, to keep accounts" in text  # a purpose, from the record
