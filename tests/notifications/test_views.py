"""The notification centre, preferences, and the failed-email page (administrators, programme managers)."""

import pytest
from django.core import mail
from django.urls import reverse

from grants.models import AuditEvent
from notifications.models import Notification, Preference, Status

from .factories import FailedEmailFactory, InAppNotificationFactory

pytestmark = pytest.mark.django_db


def test_centre_lists_own_notifications_with_unread_count_in_header(personas, client_for):
    mine = InAppNotificationFactory.create_batch(3, recipient=personas.lead_officer)
    InAppNotificationFactory(recipient=personas.lead_officer, read_at="2026-01-01T10:00Z")
    theirs = InAppNotificationFactory(recipient=personas.other_officer, subject="Somebody else's news")
    response = client_for(personas.lead_officer).get(reverse("notifications:centre"))
    assert response.status_code == 200
    html = response.content.decode()
    for n in mine:
        assert n.subject in html
    assert theirs.subject not in html
    assert 'gb-unread-count">3<span class="govuk-visually-hidden"> unread' in html


def test_no_unread_tag_when_all_read(personas, client_for):
    InAppNotificationFactory(recipient=personas.lead_officer, read_at="2026-01-01T10:00Z")
    html = client_for(personas.lead_officer).get(reverse("grants:round_list")).content.decode()
    assert "Notifications" in html and "gb-unread-count" not in html


def test_centre_query_count_is_fixed(personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.lead_officer)
    InAppNotificationFactory.create_batch(2, recipient=personas.lead_officer)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("notifications:centre"))
    InAppNotificationFactory.create_batch(40, recipient=personas.lead_officer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("notifications:centre"))
    assert response.status_code == 200


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("notifications:centre"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_open_marks_read_and_follows_link_but_not_for_others(personas, client_for):
    n = InAppNotificationFactory(recipient=personas.lead_officer, url="/rounds/this-round/")
    assert client_for(personas.other_officer).get(reverse("notifications:open", args=[n.pk])).status_code == 404
    response = client_for(personas.lead_officer).get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/rounds/this-round/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_open_never_redirects_off_site(personas, client_for):
    n = InAppNotificationFactory(recipient=personas.lead_officer, url="https://evil.example.com/")
    response = client_for(personas.lead_officer).get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == reverse("notifications:centre")


def test_mark_read_one_and_all(personas, client_for):
    a, b, c = InAppNotificationFactory.create_batch(3, recipient=personas.lead_officer)
    other = InAppNotificationFactory(recipient=personas.other_officer)
    client = client_for(personas.lead_officer)
    assert client.get(reverse("notifications:mark_read", args=[a.pk])).status_code == 405
    assert client.post(reverse("notifications:mark_read", args=[other.pk])).status_code == 404
    client.post(reverse("notifications:mark_read", args=[a.pk]))
    assert set(Notification.objects.unread().values_list("pk", flat=True)) == {b.pk, c.pk, other.pk}
    client.post(reverse("notifications:mark_all_read"))
    assert list(Notification.objects.unread().values_list("pk", flat=True)) == [other.pk]


def test_council_officer_turns_off_optional_email_and_opts_in_to_round_alerts(personas, client_for):
    client = client_for(personas.lead_officer)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Bid deadline approaching" in page
    assert "Decision on a bid" not in page  # essential: cannot be turned off
    assert "One summary a day" not in page  # digest is for staff and panel only
    response = client.post(
        reverse("notifications:preferences"),
        {"emails_on": ["milestone_due", "return_due"], "round_opening_alerts": "yes", "daily_digest": "yes"},
    )
    assert response.status_code == 302
    pref = Preference.objects.get(user=personas.lead_officer)
    assert "deadline_approaching" in pref.emails_off and "milestone_due" not in pref.emails_off
    assert pref.round_opening_alerts is True
    assert pref.daily_digest is False
    assert AuditEvent.objects.filter(action="notifications.preferences", actor=personas.lead_officer).exists()


def test_preferences_bad_input_shows_error(personas, client_for):
    response = client_for(personas.lead_officer).post(reverse("notifications:preferences"), {"emails_on": ["nonsense"]})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_panel_member_may_choose_digest(personas, client_for):
    client = client_for(personas.assessor)
    assert "One summary a day" in client.get(reverse("notifications:preferences")).content.decode()
    client.post(reverse("notifications:preferences"), {"round_opening_alerts": "no", "daily_digest": "yes"})
    assert Preference.objects.get(user=personas.assessor).daily_digest is True


MAY_SEE_FAILED = {"administrator", "programme_manager", "other_programme_manager"}


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "lead_officer",
        "assessor",
        "panel_chair",
        "programme_manager",
        "other_programme_manager",
        "finance_officer",
        "board_viewer",
        "administrator",
    ],
)
def test_failed_list_is_for_administrators_and_programme_managers(personas, client_for, who):
    FailedEmailFactory(recipient=personas.lead_officer, subject="Grant offer for BI4-000001")
    FailedEmailFactory(subject="Deadline for BI4-000002", programme=personas.round.programme)
    user = personas.all()[who]
    response = client_for(user).get(reverse("notifications:failed_list"))
    if who in MAY_SEE_FAILED:
        assert response.status_code == 200
        html = response.content.decode()
        # Managers see the emails about their own programmes; one about none stays with administrators.
        assert ("Grant offer for BI4-000001" in html) == (who == "administrator")
        assert ("Deadline for BI4-000002" in html) == (who in ("administrator", "programme_manager"))
    elif user is None:
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_programme_manager_resends_only_their_programmes_failed_emails(
    personas, client_for, django_capture_on_commit_callbacks
):
    mine = FailedEmailFactory(recipient=personas.lead_officer, event="outcome", programme=personas.round.programme)
    theirs = FailedEmailFactory(recipient=personas.lead_officer, event="outcome", programme=personas.other_programme)
    unknown = FailedEmailFactory(recipient=personas.lead_officer, event="outcome")
    client = client_for(personas.programme_manager)
    assert client.post(reverse("notifications:resend", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:resend", args=[unknown.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("notifications:resend", args=[mine.pk])).status_code == 302
    assert [m.to for m in mail.outbox] == [[personas.lead_officer.email]]
    assert list(Notification.objects.filter(status=Status.FAILED).order_by("pk")) == [theirs, unknown]


def test_failed_list_filters_and_query_count(personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.administrator)
    url = reverse("notifications:failed_list")
    FailedEmailFactory.create_batch(2, recipient=personas.lead_officer, programme=personas.round.programme)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    FailedEmailFactory.create_batch(30, programme=personas.other_programme)
    FailedEmailFactory.create_batch(30, event="payment_made")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "62 failed emails: 1 to 50 shown" in html
    html = client.get(url, {"programme": personas.other_programme.slug}).content.decode()
    assert "30 failed emails," in html
    html = client.get(url, {"event": "payment_made"}).content.decode()
    assert "30 failed emails," in html
    assert "event=payment_made" in html  # the download links carry the filter on screen


def test_failed_list_bad_filter_is_an_error_on_the_page(personas, client_for):
    FailedEmailFactory(programme=personas.other_programme, subject="Someone else's")
    client = client_for(personas.programme_manager)
    response = client.get(reverse("notifications:failed_list"), {"programme": personas.other_programme.slug})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Someone else's" not in html
    response = client.get(reverse("notifications:failed_list"), {"event": "x" * 5000, "page": "abc"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def test_failed_emails_download_as_csv_and_xlsx_with_the_filters(personas, client_for):
    import csv
    import io

    from openpyxl import load_workbook

    FailedEmailFactory(recipient=personas.lead_officer, subject="=HYPERLINK(1)", programme=personas.round.programme)
    FailedEmailFactory(subject="Other programme's", programme=personas.other_programme)
    FailedEmailFactory(event="payment_made", subject="Payment", programme=personas.round.programme)
    client = client_for(personas.programme_manager)
    url = reverse("reporting:download", args=["failed-emails", "csv"])
    rows = list(csv.reader(io.StringIO(b"".join(client.get(url).streaming_content).decode())))
    assert rows[0][:5] == ["Written", "To", "Organisation", "Event", "Subject"]
    assert sorted(r[4] for r in rows[1:]) == ["'=HYPERLINK(1)", "Payment"]  # own programme only, made safe
    rows = list(
        csv.reader(io.StringIO(b"".join(client.get(url, {"event": "payment_made"}).streaming_content).decode()))
    )
    assert [r[4] for r in rows[1:]] == ["Payment"]
    assert client.get(url, {"programme": personas.other_programme.slug}).status_code == 404
    xlsx = client.get(reverse("reporting:download", args=["failed-emails", "xlsx"]), {"event": "payment_made"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [c.value for c in list(sheet.iter_rows())[1]][4] == "Payment"
    assert client_for(personas.finance_officer).get(url).status_code == 404


def test_administrator_resends_failed_email(personas, client_for, django_capture_on_commit_callbacks):
    n = FailedEmailFactory(recipient=personas.lead_officer, event="outcome", context={"reference": "BI4-000001"})
    client = client_for(personas.administrator)
    assert client_for(personas.programme_manager).post(reverse("notifications:resend", args=[n.pk])).status_code == 404
    assert client_for(personas.finance_officer).post(reverse("notifications:resend", args=[n.pk])).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:resend", args=[n.pk]))
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.status == Status.SENT and n.attempts == 1
    assert [m.to for m in mail.outbox] == [[personas.lead_officer.email]]
    assert AuditEvent.objects.filter(action="notification.resend", target_id=str(n.pk)).exists()
    # a second click on a stale page does nothing and says why
    response = client.post(reverse("notifications:resend", args=[n.pk]), follow=True)
    assert "Only failed emails can be sent again" in response.content.decode()
    assert len(mail.outbox) == 1


def test_round_alerts_are_one_question_not_also_a_checkbox(personas, client_for):
    client = client_for(personas.lead_officer)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Do you want an email when a funding round your council can bid for opens?" in page
    assert "Funding round opening" not in page and 'value="round_opening"' not in page
    # Every optional email off, round alerts on: the alerts stay on.
    client.post(reverse("notifications:preferences"), {"round_opening_alerts": "yes"})
    pref = Preference.objects.get(user=personas.lead_officer)
    assert pref.round_opening_alerts is True
    assert "round_opening" not in pref.emails_off and "deadline_approaching" in pref.emails_off


def test_notification_status_is_read_only_in_the_admin(personas, client_for):
    n = FailedEmailFactory(recipient=personas.lead_officer)
    admin = client_for(personas.administrator)
    admin_user = personas.administrator
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    html = admin.get(reverse("admin:notifications_notification_change", args=[n.pk])).content.decode()
    assert 'name="status"' not in html and "Failed" in html
    admin.post(
        reverse("admin:notifications_notification_change", args=[n.pk]),
        {"recipient": n.recipient_id, "channel": n.channel, "event": n.event, "subject": n.subject, "context": "{}",
         "url": n.url, "status": "sent"},
    )  # fmt: skip
    n.refresh_from_db()
    assert n.status == Status.FAILED
