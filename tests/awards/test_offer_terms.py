"""Offer terms: the manager sets conditions and the reply-by date; the letter is dated the award
date; what the signatory accepted is stored and shown afterwards; acceptance after the reply-by
date is refused until the manager extends it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.awards import services as p
from grants.awards import services as s
from grants.awards.models import AwardStatus
from grants.models import AuditEvent

from .factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory, RoundOutputFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def offered(personas):
    return AwardFactory(
        round=personas.round,
        lead=personas.lead_org,
        award_date=date(2026, 1, 12),
        respond_by=TODAY() + timedelta(days=20),
    )


def _accept(personas, award, **extra):
    return s.award_accept(
        award=award, actor=personas.signatory, name="Sam Sign", role="Chief Executive", confirm_terms=True, **extra
    )


def test_manager_sets_conditions_and_reply_by_date(personas, client_for, offered):
    c = client_for(personas.programme_manager)
    url = reverse("awards:offer_terms", args=[offered.pk])
    body = c.get(url).content.decode()
    for link in ("awards:tranches", "awards:milestone_add"):
        assert reverse(link, args=[offered.pk]) in body
    new_date = TODAY() + timedelta(days=40)
    response = c.post(url, {"conditions": "Spend by March.\nReport quarterly.", "respond_by": new_date.isoformat()})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.conditions == "Spend by March.\nReport quarterly." and offered.respond_by == new_date
    assert AuditEvent.objects.filter(action="award.offer_terms", target_id=str(offered.pk)).exists()
    letter = client_for(personas.signatory).get(reverse("awards:offer_letter", args=[offered.pk])).content.decode()
    assert "Spend by March.<br>Report quarterly." in letter
    assert new_date.strftime("%-d %B %Y") in letter


def test_offer_terms_page_errors_and_access(personas, client_for, offered):
    c = client_for(personas.programme_manager)
    url = reverse("awards:offer_terms", args=[offered.pk])
    body = c.post(url, {"conditions": "Keep this", "respond_by": "2001-01-01"}).content.decode()
    assert "The reply-by date must be today or in the future" in body and "Keep this" in body
    body = c.post(url, {"conditions": "x"}).content.decode()
    assert "Enter reply-by date" in body
    for who in ("finance_officer", "other_programme_manager", "signatory"):
        assert client_for(getattr(personas, who)).get(url).status_code == 404, who
    _accept(personas, offered)
    assert c.get(url).status_code == 302  # once accepted, the terms are settled
    with pytest.raises(s.AwardError):
        s.offer_terms_set(award=offered, actor=personas.programme_manager, conditions="", respond_by=TODAY())


def test_letter_is_dated_the_award_date(personas, client_for, offered):
    for name in ("offer_letter", "accept"):
        body = client_for(personas.signatory).get(reverse(f"awards:{name}", args=[offered.pk])).content.decode()
        assert 'data-testid="letter-date">12 January 2026<' in body, name


def test_accepted_terms_are_stored_and_shown_after_replanning(personas, client_for, offered):
    ReturnPeriodFactory(round=personas.round, title="Quarter 1")
    MilestoneFactory(award=offered, description="Pilot live", due_on=date(2026, 6, 30))
    s.offer_terms_set(
        award=offered, actor=personas.programme_manager, conditions="Original conditions", respond_by=TODAY()
    )
    _accept(personas, offered)
    offered.refresh_from_db()
    terms = offered.accepted_terms
    assert terms["amount"] == "30000.00" and terms["conditions"] == "Original conditions"
    assert [t["amount"] for t in terms["tranches"]] == ["30000.00"]
    assert terms["milestones"] == [{"description": "Pilot live", "due_on": "2026-06-30"}]
    assert [r["title"] for r in terms["return_schedule"]] == ["Quarter 1"]
    # The manager re-plans afterwards: two tranches, another milestone, new conditions.
    p.tranches_set(
        award=offered,
        actor=personas.programme_manager,
        tranches=[{"amount": Decimal("10000"), "due_on": TODAY()}, {"amount": Decimal("20000"), "due_on": TODAY()}],
    )
    MilestoneFactory(award=offered, description="Added later")
    offered.conditions = "Changed later"
    offered.save()
    body = client_for(personas.lead_officer).get(reverse("awards:offer_letter", args=[offered.pk])).content.decode()
    assert 'data-testid="accepted-terms"' in body and "Sam Sign, Chief Executive" in body
    assert "Original conditions" in body and "Changed later" not in body
    assert "Added later" not in body and "Pilot live" in body
    assert "£30,000" in body and "£10,000" not in body


def test_terms_changed_while_reading_are_not_accepted(personas, client_for, offered):
    from grants.awards.models import OutputTarget

    offered.partners.add(personas.partner_org, personas.other_org)
    for kind, label in (("custom", "Trees"), ("savings", "")):
        output = RoundOutputFactory(round=personas.round, kind=kind, label=label)
        OutputTarget.objects.create(award=offered, output=output, target=Decimal("100"))
    c = client_for(personas.signatory)
    url = reverse("awards:accept", args=[offered.pk])
    c.get(url)
    s.offer_terms_set(award=offered, actor=personas.programme_manager, conditions="New", respond_by=offered.respond_by)
    from grants.awards import terms

    stale = terms.digest({"stale": True})
    body = c.post(url, {"name": "Sam", "role": "CEO", "confirm_terms": "on", "terms_digest": stale}).content.decode()
    assert "The terms of the offer changed while you were reading them" in body
    offered.refresh_from_db()
    assert offered.status == AwardStatus.OFFERED
    # Read again (the page carries the fingerprint of the terms it shows): accepted.
    digest = c.get(url).context["terms_digest"]
    assert c.post(url, {"name": "Sam", "role": "CEO", "confirm_terms": "on", "terms_digest": digest}).status_code == 302
    offered.refresh_from_db()
    assert offered.status == AwardStatus.ACCEPTED and offered.accepted_terms["conditions"] == "New"


def test_acceptance_after_the_reply_by_date_is_refused_until_extended(personas, client_for, offered):
    offered.respond_by = TODAY() - timedelta(days=1)
    offered.save()
    with pytest.raises(s.AwardError, match="extend the reply-by date"):
        _accept(personas, offered)
    c = client_for(personas.signatory)
    url = reverse("awards:accept", args=[offered.pk])
    body = c.get(url).content.decode()
    assert 'data-testid="acceptance-overdue"' in body and 'name="confirm_terms"' not in body
    assert c.post(url, {"name": "Sam", "role": "CEO", "confirm_terms": "on"}).status_code == 200
    offered.refresh_from_db()
    assert offered.status == AwardStatus.OFFERED
    # The manager extends the date: the signatory can accept.
    s.offer_terms_set(
        award=offered, actor=personas.programme_manager, conditions="", respond_by=TODAY() + timedelta(days=7)
    )
    _accept(personas, offered)
    offered.refresh_from_db()
    assert offered.status == AwardStatus.ACCEPTED


def test_accepting_on_the_reply_by_date_is_allowed(personas, offered):
    offered.respond_by = TODAY()
    offered.save()
    _accept(personas, offered)
    offered.refresh_from_db()
    assert offered.status == AwardStatus.ACCEPTED


def test_overdue_acceptance_is_flagged_on_dashboard_and_portfolio(personas, client_for, offered):
    on_time = AwardFactory(round=personas.round, lead=personas.lead_org, respond_by=TODAY() + timedelta(days=3))
    offered.respond_by = TODAY() - timedelta(days=2)
    offered.save()
    dashboard = client_for(personas.lead_officer).get(reverse("awards:dashboard"))
    due = {(i.award.pk, i.what): i.overdue for i in dashboard.context["due"]}
    assert due[(offered.pk, "Accept or decline the offer")] is True
    assert due[(on_time.pk, "Accept or decline the offer")] is False
    assert "Overdue" in dashboard.content.decode() and dashboard.content.decode().count("Reply overdue") == 1
    portfolio = client_for(personas.programme_manager).get(reverse("awards:portfolio"))
    flagged = {a.reference for a, _ in portfolio.context["rows"] if a.acceptance_overdue}
    assert flagged == {offered.reference}
    assert portfolio.content.decode().count('data-testid="acceptance-overdue"') == 1
