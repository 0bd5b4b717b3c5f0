"""Two-stage rounds on the pages: managers set the EOI close and each section's stage; the round
page and start page explain the two stages and both deadlines; the council's lists say the stage;
reminders come before each stage's deadline, once each."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.models import BidStage, BidStatus, Section
from grants.models import Round
from notifications.models import Notification
from notifications.reminders import send_due
from tests.grants.test_round_changes import _edit_post

from .factories import BidFactory


def _two_stage(rnd: Round, eoi_in=timedelta(days=3)) -> Round:
    """Deadlines ahead at midday (UK time), as rounds set them: 20 hours before one is the day
    before, whatever time of day the test runs. A deadline passed is `eoi_in` before now."""
    now = timezone.now()
    midday = timezone.localtime(now).replace(hour=12, minute=0, second=0, microsecond=0)
    rnd.opens_at, rnd.eoi_closes_at, rnd.closes_at = (
        now - timedelta(days=5),
        (midday if eoi_in > timedelta(0) else now) + eoi_in,
        midday + timedelta(days=40),
    )
    rnd.save()
    return rnd


def test_a_manager_sets_when_expressions_of_interest_close(personas, client_for):
    client = client_for(personas.programme_manager)
    edit = client.get(reverse("grants:staff_round_edit", args=[personas.round.slug])).content.decode()
    assert "Expressions of interest close (optional)" in edit and "Leave empty for a one-stage round" in edit
    when = (personas.round.closes_at - timedelta(days=10)).astimezone(timezone.get_current_timezone())
    response = client.post(
        reverse("grants:staff_round_edit", args=[personas.round.slug]),
        _edit_post(client, personas.round, eoi_closes_at=when.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 302
    personas.round.refresh_from_db()
    assert personas.round.two_stage and timezone.localdate(personas.round.eoi_closes_at) == when.date()
    late = (personas.round.closes_at + timedelta(days=1)).astimezone(timezone.get_current_timezone())
    refused = client.post(
        reverse("grants:staff_round_edit", args=[personas.round.slug]),
        _edit_post(client, personas.round, eoi_closes_at=late.strftime("%Y-%m-%dT%H:%M")),
    )
    assert refused.status_code == 200 and "must close before full bids are due" in refused.text


def test_the_builder_marks_each_section_eoi_or_full(personas, client_for):
    rnd = _two_stage(personas.round)
    client = client_for(personas.programme_manager)
    url = reverse("applications:staff_section_create", args=[rnd.slug])
    assert "In the expression of interest" in client.get(url).content.decode()
    assert client.post(url, {"title": "Your idea", "description": "", "order": "1", "stage": "eoi"}).status_code == 302
    assert Section.objects.get(round=rnd).stage == BidStage.EOI
    page = client.get(reverse("applications:staff_questions", args=[rnd.slug])).content.decode()
    assert 'data-testid="section-stage"' in page and "Expression of interest" in page


def test_a_one_stage_round_builder_asks_no_stage(personas, client_for):
    page = client_for(personas.programme_manager).get(
        reverse("applications:staff_section_create", args=[personas.round.slug])
    )
    assert "In the expression of interest" not in page.content.decode()


def test_round_page_and_start_page_explain_the_two_stages(personas, client_for):
    rnd = _two_stage(personas.round)
    public = client_for(None).get(rnd.get_absolute_url()).content.decode()
    assert "Expressions of interest close" in public and "Full bids, by invitation, close" in public
    assert 'data-testid="two-stages"' in public
    officer = client_for(personas.lead_officer)
    assert "can send an expression of interest" in officer.get(rnd.get_absolute_url()).content.decode()
    start = officer.get(reverse("applications:bid_start", args=[rnd.slug])).content.decode()
    assert 'data-testid="eoi-start"' in start and "short expression of interest" in start
    assert "Amount you expect to request" in start and "An estimate" in start


def test_after_eois_close_the_round_and_start_pages_say_full_bids_are_by_invitation(personas, client_for):
    rnd = _two_stage(personas.round, eoi_in=-timedelta(hours=1))
    officer = client_for(personas.lead_officer)
    for url in (rnd.get_absolute_url(), reverse("applications:bid_start", args=[rnd.slug])):
        body = officer.get(url).content.decode()
        assert "Expressions of interest closed on" in body and "full bids are by invitation" in body
        assert "Start a bid</a>" not in body
    from grants.reporting.home import council_home

    home_rounds = [r for r, _, _ in council_home(user=personas.lead_officer, now=timezone.now()).rounds]
    assert home_rounds == [] and [
        r for r, _, _ in council_home(user=personas.lead_officer, now=rnd.eoi_closes_at - timedelta(hours=1)).rounds
    ] == [rnd]  # offered on the home page while expressions of interest are open


def test_the_dashboard_says_the_stage_and_what_is_next(personas, client_for):
    rnd = _two_stage(personas.round)
    BidFactory(round=rnd, lead=personas.lead_org, stage=BidStage.EOI, status=BidStatus.DRAFT)
    page = client_for(personas.lead_officer).get(reverse("applications:bid_dashboard")).content.decode()
    assert 'data-testid="bid-stage"' in page and "Expression of interest" in page
    assert "Complete and send the expression of interest before they close" in page


def _reminders(user):
    return list(Notification.objects.filter(recipient=user, event="deadline_approaching", channel="in_app"))


def test_reminders_before_each_stage_deadline_exactly_once(personas):
    rnd = _two_stage(personas.round, eoi_in=timedelta(days=10))
    bid = BidFactory(round=rnd, lead=personas.lead_org, created_by=personas.lead_officer, stage=BidStage.EOI)
    with time_machine.travel(rnd.eoi_closes_at - timedelta(hours=20), tick=False):
        send_due()
        send_due()
    (eoi_note,) = _reminders(personas.lead_officer)
    assert eoi_note.context["stage_name"] == "expressions of interest"
    assert "expressions of interest close tomorrow" in eoi_note.subject
    # Invited: the full bid is reminded before full bids close, once.
    type(bid).objects.filter(pk=bid.pk).update(stage=BidStage.FULL, invited_at=timezone.now())
    with time_machine.travel(rnd.closes_at - timedelta(hours=20), tick=False):
        send_due()
        send_due()
    notes = _reminders(personas.lead_officer)
    assert len(notes) == 2 and {n.context["stage_name"] for n in notes} == {"expressions of interest", "full bids"}
