"""The daily digest: who gets it, what a failure does, and the words around it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from grants.models import StaffRole
from notifications.models import Channel, Notification, Preference, Status
from notifications.services import digest_send, greeting_name, notify

from ..factories import CouncilOfficerFactory
from . import backends

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_digest(personas, django_capture_on_commit_callbacks):
    """The programme manager on the digest with two emails waiting."""
    pm = personas.programme_manager
    Preference.objects.create(user=pm, daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            notify(
                recipient=pm,
                event="conflict_declared",
                context={"reference": f"BI4-00000{n}"},
                dedupe_key=f"conflict:{n}",
                url=f"/staff/bids/{n}/",
                programme=personas.round.programme,
            )
    assert mail.outbox == []
    return pm


def test_digest_has_the_service_name_in_its_footer(on_digest, settings):
    settings.GRANTBENCH_SERVICE_NAME = "Apply for and manage council funding"
    assert digest_send(user_id=on_digest.pk) == 2
    [message] = mail.outbox
    assert message.body.rstrip().endswith("Grantbench\nApply for and manage council funding")
    assert "Apply for and manage council funding" in message.alternatives[0][0]


def test_a_failing_digest_counts_attempts_then_fails_and_can_be_resent_as_single_emails(
    on_digest, personas, settings, client_for, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakySMTPBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    backends.reset(failures=100)
    emails = Notification.objects.filter(recipient=on_digest, channel=Channel.EMAIL)
    for day in (1, 2):
        assert digest_send(user_id=on_digest.pk) == 0
        assert set(emails.values_list("status", "attempts")) == {(Status.DIGEST, day)}
    assert "SMTPServerDisconnected" in emails.first().last_error
    digest_send(user_id=on_digest.pk)
    assert set(emails.values_list("status", "attempts")) == {(Status.FAILED, 3)}
    assert digest_send(user_id=on_digest.pk) == 0 and backends.FlakySMTPBackend.calls == 3  # not tried again

    page = client_for(personas.administrator).get(reverse("notifications:failed_list")).content.decode()
    assert "Conflict of interest declared on bid BI4-000001" in page
    backends.reset(failures=0)
    with django_capture_on_commit_callbacks(execute=True):
        for n in emails:
            client_for(personas.administrator).post(reverse("notifications:resend", args=[n.pk]))
    assert sorted(m.subject for m in mail.outbox) == [
        "Conflict of interest declared on bid BI4-000000",
        "Conflict of interest declared on bid BI4-000001",
    ]
    assert set(emails.values_list("status", flat=True)) == {Status.SENT}


def test_digest_stops_when_the_user_loses_the_staff_role(personas, django_capture_on_commit_callbacks):
    pm = personas.programme_manager
    Preference.objects.create(user=pm, daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(recipient=pm, event="conflict_declared", context={"reference": "A"}, dedupe_key="a").status == (
            Status.DIGEST
        )
    StaffRole.objects.filter(user=pm).delete()
    pm = type(pm).objects.get(pk=pm.pk)  # a new request: roles read afresh
    with django_capture_on_commit_callbacks(execute=True):
        email = notify(recipient=pm, event="conflict_declared", context={"reference": "B"}, dedupe_key="b")
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert [m.subject for m in mail.outbox] == ["Conflict of interest declared on bid B"]


def test_panel_member_keeps_the_digest(personas, django_capture_on_commit_callbacks):
    Preference.objects.create(user=personas.assessor, daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        email = notify(
            recipient=personas.assessor, event="assessor_assigned", context={"round_name": "Round 1"}, dedupe_key="x"
        )
    assert email.status == Status.DIGEST and mail.outbox == []


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Ada Lovelace", "Ada"),
        ("Mrs Georgia Page", "Mrs Georgia Page"),
        ("Dr. Oliver Rose", "Dr. Oliver Rose"),
        ("cllr Sam Jones", "cllr Sam Jones"),
        ("Lady Jane Grey", "Lady Jane Grey"),
        ("Missy Elliott", "Missy"),
        ("  Prof   Ann  Lee ", "Prof Ann Lee"),
    ],
)
def test_greeting_never_reads_dear_title_alone(full_name, expected):
    assert greeting_name(CouncilOfficerFactory.build(full_name=full_name)) == expected


def test_greeting_falls_back_to_the_email_address():
    user = CouncilOfficerFactory.build(full_name="", email="ada@council.example.com")
    assert greeting_name(user) == "ada@council.example.com"


def test_emails_and_digest_greet_a_titled_name_in_full(personas, django_capture_on_commit_callbacks):
    officer = CouncilOfficerFactory(full_name="Mrs Georgia Page")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=officer,
            event="outcome",
            context={"reference": "X", "round_name": "Round 1", "outcome": "not_funded"},
            dedupe_key="o",
        )
    assert mail.outbox[0].body.startswith("Dear Mrs Georgia Page,")
    pm = personas.programme_manager
    pm.full_name = "Dr Oliver Rose"
    pm.save()
    Preference.objects.create(user=pm, daily_digest=True)
    notify(recipient=pm, event="conflict_declared", context={"reference": "Y"}, dedupe_key="c")
    digest_send(user_id=pm.pk, now=timezone.now() + timedelta(hours=1))
    assert mail.outbox[-1].body.startswith("Dear Dr Oliver Rose,")
