"""Issue 17, item 2: a return awaiting certification is chased with its certifiers (the lead
council's section 151 officer or delegate), at the stages of other returns, each once per send;
the officer who sent it is no longer chased for it."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from grants.awards import services as s
from grants.awards.models import AwardStatus, Rag, ReturnStatus
from grants.awards.reminders import award_reminders, certify_reminders
from grants.models import OrgRole
from notifications.models import Notification
from notifications.reminders import providers, send_due
from tests import factories as f

from .factories import AwardFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
EVENT = "return_certify_reminder"


def _at(day, hour=9):
    return datetime.combine(day, time(hour), tzinfo=LONDON)


@pytest.fixture
def certifier(personas):
    return f.UserFactory(email="s151@example.com", organisation=personas.lead_org, org_role=OrgRole.CERTIFIER)


@pytest.fixture
def deputy(personas):
    return f.UserFactory(email="deputy.s151@example.com", organisation=personas.lead_org, org_role=OrgRole.CERTIFIER)


@pytest.fixture
def partner_certifier(personas):
    return f.UserFactory(email="s151@medway.example.com", organisation=personas.partner_org, org_role=OrgRole.CERTIFIER)


def _return(personas, due_on):
    personas.round.returns_need_certifying = True
    personas.round.save()
    award = AwardFactory(
        round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE, title="Digital front door"
    )
    award.partners.add(personas.partner_org)
    ReturnPeriodFactory(round=personas.round, title="Quarter 1", due_on=due_on)
    s.returns_create(award=award)
    return award.returns.get()


def _send(personas, mreturn):
    s.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="On track", values={})
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.TO_CERTIFY
    return mreturn


def _hourly(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_due(now=now)


def _sent(person):
    return Notification.objects.filter(event=EVENT, recipient=person, channel="in_app").count()


def test_provider_is_registered():
    assert any(name.endswith("certify_reminders") for name in providers())


def test_certifiers_are_reminded_at_the_stages_of_other_returns(personas, certifier):
    due = timezone.localdate() + timedelta(days=40)
    mreturn = _send(personas, _return(personas, due))
    stages = {}
    for offset in range(-20, 20):
        for r in certify_reminders(_at(due + timedelta(days=offset))):
            assert r.recipient == certifier and r.event == EVENT
            stages.setdefault(offset, r)
    assert sorted(stages) == [-14, -3, 1, 8, 15]
    assert stages[-3].context["when"] == "in 3 days" and stages[8].context["days_overdue"] == 8
    assert stages[-3].url == reverse("awards:return_certify", args=[mreturn.award_id, mreturn.pk])
    assert len({r.dedupe_key for r in stages.values()}) == 5


def test_each_stage_emails_each_certifier_once(personas, certifier, deputy, django_capture_on_commit_callbacks):
    due = timezone.localdate() + timedelta(days=3)
    mreturn = _send(personas, _return(personas, due))
    mail.outbox.clear()  # the "return to certify" emails
    today = timezone.localdate()
    _hourly(_at(today), django_capture_on_commit_callbacks)
    _hourly(_at(today, 10), django_capture_on_commit_callbacks)  # the next hour: nothing new
    assert sorted(m.to[0] for m in mail.outbox) == [deputy.email, certifier.email]
    message = mail.outbox[0]
    assert message.subject == f"Reminder: return to certify for {mreturn.award.reference} is due in 3 days"
    for text in (
        "“Quarter 1”",
        mreturn.award.reference,
        "Digital front door",
        f"{due:%-d %B %Y}",
        reverse("awards:return_certify", args=[mreturn.award_id, mreturn.pk]),
    ):
        assert text in message.body, text
    assert _sent(certifier) == _sent(deputy) == 1
    # Overdue the day after: once more, then nothing until the week is out.
    mail.outbox.clear()
    for hour in (9, 15):
        _hourly(_at(due + timedelta(days=1), hour), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2 and "is overdue" in mail.outbox[0].subject
    assert "overdue by 1 day." in mail.outbox[0].body
    assert _sent(certifier) == _sent(deputy) == 2


def test_a_certified_return_or_one_sent_back_is_not_chased_with_the_certifier(personas, certifier):
    today = timezone.localdate()
    mreturn = _send(personas, _return(personas, today + timedelta(days=3)))
    assert list(certify_reminders(_at(today)))
    s.return_certification_decline(mreturn=mreturn, actor=certifier, reason="Wrong quarter")
    assert not list(certify_reminders(_at(today)))  # with the officer again: their reminders
    assert personas.lead_officer in {r.recipient for r in award_reminders(_at(today))}
    mreturn = _send(personas, mreturn)
    s.return_certify(mreturn=mreturn, actor=certifier, declaration=True)
    assert not list(certify_reminders(_at(today)))
    assert not list(certify_reminders(_at(today + timedelta(days=4))))


def test_the_officer_is_not_chased_for_a_return_awaiting_certification(personas, certifier):
    due = timezone.localdate() + timedelta(days=3)
    mreturn = _return(personas, due)
    officers = {personas.lead_officer, personas.signatory}
    assert {r.recipient for r in award_reminders(_at(timezone.localdate()))} == officers | {certifier}
    _send(personas, mreturn)
    for offset in range(-20, 20):
        assert not list(award_reminders(_at(due + timedelta(days=offset)))), offset


def test_a_partner_councils_certifier_is_not_reminded(personas, certifier, partner_certifier):
    due = timezone.localdate() + timedelta(days=3)
    _send(personas, _return(personas, due))
    for day in (timezone.localdate(), due + timedelta(days=1)):
        assert {r.recipient for r in certify_reminders(_at(day))} == {certifier}


def test_a_return_sent_back_and_sent_again_is_chased_again(personas, certifier, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    mreturn = _send(personas, _return(personas, today - timedelta(days=1)))  # sent a day late
    _hourly(_at(today), django_capture_on_commit_callbacks)
    assert _sent(certifier) == 1
    s.return_certification_decline(mreturn=mreturn, actor=certifier, reason="Wrong quarter")
    _send(personas, mreturn)
    _hourly(_at(today, 10), django_capture_on_commit_callbacks)
    _hourly(_at(today, 11), django_capture_on_commit_callbacks)
    assert _sent(certifier) == 2


def test_no_active_certifier_reminds_nobody_and_the_programme_sees_it_overdue(personas, certifier, client_for):
    today = timezone.localdate()
    mreturn = _send(personas, _return(personas, today - timedelta(days=1)))
    certifier.is_active = False
    certifier.save()
    assert not list(certify_reminders(_at(today)))
    assert not list(award_reminders(_at(today)))
    page = client_for(personas.programme_manager).get(reverse("awards:portfolio")).content.decode()
    row = page[page.find(mreturn.award.reference) :]
    assert "1 overdue" in row[: row.find("</tr>")]
