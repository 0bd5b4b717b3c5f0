"""The demo tells the funder's story (issue 15, item 4): every persona lands on work to do, round
names match their dates, the demo keeps the process rules, the board report for a past quarter and
for the latest one shows what was reported, and BI phase 2's match funding shows wherever awards do."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Bid, BidPartner, BidStatus, PartnerStatus
from applications.services import start_bid, start_eligibility
from grants.awards import permissions as award_perms
from grants.awards.models import Award, AwardStatus, MonitoringReturn, PaymentTranche, ReturnStatus, TrancheStatus
from grants.awards.services import offer_terms_set
from grants.demo import financial_year
from grants.models import Organisation, Round, User
from grants.reporting import selectors
from grants.reporting.threesixty import grant, grants_queryset
from scoring.models import Assessment, AssessmentStatus, Assignment, Decision, DecisionStatus
from tests.conftest import enable_mfa

pytestmark = pytest.mark.django_db
PAST_QUARTER = date(2018, 6, 30)  # BI phases 1 to 3 and Channel Shift had all sent a return by then


@pytest.fixture
def demo(demo_once):
    """The demo, seeded once for this module (tests/conftest.py); every test here uses it."""
    return {u.email: u for u in User.objects.filter(email__endswith=".example.com")}


def _staff_client(client_for, user):
    enable_mfa(user)
    return client_for(user)


def _open_rounds():
    now = timezone.now()
    return Round.objects.filter(published=True, opens_at__lte=now, closes_at__gt=now)


def test_round_names_and_years_match_their_dates(demo):
    for rnd in Round.objects.all():
        years = {financial_year(timezone.localdate(rnd.opens_at))}
        if rnd.decided_at or rnd.decision_date:
            years.add(financial_year(rnd.decision_date or timezone.localdate(rnd.decided_at)))
        assert rnd.financial_year in years, rnd.name
        named = re.search(r"\d{4}/\d{2}", rnd.name)
        assert named is None or named.group() == rnd.financial_year_label, rnd.name
    # The historic rounds keep the years the funder's reports give them.
    historic = dict(Round.objects.filter(slug__in=["bi-phase-1", "bi-phase-4"]).values_list("slug", "financial_year"))
    assert historic == {"bi-phase-1": 2015, "bi-phase-4": 2018}
    # The open round is placed around today, so its year is this year (or last, if it opened before April).
    this_year = financial_year(timezone.localdate())
    assert _open_rounds() and {r.financial_year for r in _open_rounds()} <= {this_year, this_year - 1}


def test_kent_can_start_a_joint_bid_with_medway_in_an_open_round(demo, client_for):
    officer = demo["council.officer@kent.example.com"]
    kent, medway = officer.organisation, Organisation.objects.get(code="MDW")
    rnd = next(r for r in _open_rounds() if not start_eligibility(round=r, user=officer))
    assert not Bid.objects.filter(round=rnd, lead=kent).exists()
    assert Bid.objects.filter(round=rnd).exists()  # the others' bids are there
    c = client_for(officer)
    # The round page and the start page agree: Kent can apply, and the start page asks for the bid.
    assert "Kent can apply to this round" in c.get(rnd.get_absolute_url()).content.decode()
    start = c.get(reverse("applications:bid_start", args=[rnd.slug]))
    assert start.status_code == 200 and "already has a bid" not in start.content.decode()
    assert [t.name for t in start.templates][0] == "applications/start.html"
    bid = start_bid(
        round=rnd,
        actor=officer,
        partners=[medway],
        title="Kent and Medway digital champions",
        summary="Volunteers in libraries.",
        amount_requested=Decimal("40000"),
        match_funding=Decimal("4000"),
    )
    assert bid.partners.get().organisation == medway


def test_every_persona_lands_on_work_to_do(demo):
    today, now = timezone.localdate(), timezone.now()
    kent, medway, leeds = (Organisation.objects.get(code=c) for c in ("KEN", "MDW", "LDS"))
    # Signatory: an offer to accept, in time.
    offer = Award.objects.get(lead=kent, status=AwardStatus.OFFERED)
    assert offer.respond_by >= today and award_perms.can_accept(demo["signatory@kent.example.com"], offer)
    # Medway's officer: a partner request to answer, in an open round; Leeds: a draft and a return to send.
    asked = BidPartner.objects.get(organisation=medway, status=PartnerStatus.REQUESTED)
    assert asked.bid.round in _open_rounds()
    assert Bid.objects.filter(lead=leeds, status=BidStatus.DRAFT, round__in=_open_rounds()).exists()
    assert MonitoringReturn.objects.filter(
        award__lead=leeds, award__status=AwardStatus.ACTIVE, status=ReturnStatus.DUE, period__period_end__lt=today
    ).exists()
    # Panel member and chair: bids to score in a round that has closed.
    for email in ("panel.member@lga.example.com", "panel.chair@lga.example.com"):
        waiting = Assignment.objects.filter(
            assessor=demo[email], withdrawn_at__isnull=True, bid__round__closes_at__lt=now
        )
        assert waiting.exclude(assessment__status=AssessmentStatus.SUBMITTED).exists(), email
    # Programme manager: bids waiting for assignment, decisions to confirm, returns to review.
    bi = demo["programme.manager@lga.example.com"].staff_roles.get(programme__slug="behavioural-insights").programme
    closed = Round.objects.filter(programme=bi, closes_at__lt=now, decided_at__isnull=True)
    assert Bid.objects.filter(round__in=closed, status=BidStatus.SUBMITTED, assignments__isnull=True).exists()
    assert Decision.objects.filter(round__programme=bi, status=DecisionStatus.PROPOSED).exists()
    assert MonitoringReturn.objects.filter(award__round__programme=bi, status=ReturnStatus.SUBMITTED).exists()
    # The other programme manager: bids waiting in a round that has closed, in a programme they manage.
    theirs = demo["cyber.manager@lga.example.com"].staff_roles.values("programme")
    assert Bid.objects.filter(
        round__programme__in=theirs, round__closes_at__lt=now, status=BidStatus.SUBMITTED, assignments__isnull=True
    ).exists()
    # Finance: payments due on live awards.
    assert PaymentTranche.objects.filter(
        status=TrancheStatus.PLANNED, due_on__lte=today, award__status__in=Award.LIVE
    ).exists()


def test_the_demo_keeps_the_process_rules(demo):
    for a in Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).select_related("bid__round"):
        assert a.submitted_at >= a.bid.round.closes_at, a.bid  # scored only once the round closed
    for d in Decision.objects.exclude(outcome="").select_related("bid__round__panel"):
        assert d.bid.round.closes_at < timezone.now()
        done = Assessment.objects.filter(bid=d.bid, status=AssessmentStatus.SUBMITTED).count()
        assert done >= d.bid.round.panel.assessors_per_bid, d.bid
    sent = MonitoringReturn.objects.filter(submitted_at__isnull=False).select_related("period")
    assert sent.exists()
    for r in sent:
        assert timezone.localdate(r.submitted_at) > r.period.period_end, r  # only once the period ended
    for rnd in _open_rounds():
        assert rnd.return_periods.exists(), rnd  # an open round has its monitoring schedule


def _rows(board, as_at):
    return {r.programme.code: r for r in selectors.board_report(user=board, as_at=as_at)}


def test_board_report_for_a_past_quarter_and_the_latest_shows_what_was_reported(demo, client_for):
    board = demo["board@lga.example.com"]
    past = _rows(board, PAST_QUARTER)
    # Behavioural Insights: phases 1 to 3 (14 awards) had reported, all green; Warrington's figures.
    bi = past["BI"]
    assert (bi.awards, bi.green, bi.amber, bi.red, bi.not_reported) == (14, 14, 0, 0, 0)
    outputs = {o.name: o.to_date for o in bi.outputs}
    assert outputs == {
        "Savings": Decimal("8500"),
        "Cost avoidance": Decimal("133000"),
        # Issue 17: percentage outcomes, the latest reported figure (Worcestershire, Knowsley, Kent).
        "Increase in direct-debit sign-up": Decimal("61"),
        "Increase in referrals": Decimal("39"),
        "Increase in victims taking up support": Decimal("2.3"),
    }
    # Digital: Digital Experts (27) and Digital Transformation (16), all green; Channel Shift: 23
    # funded, 16 live (green), 5 due later (amber), 2 returned their funding.
    dig = past["DIG"]
    assert (dig.awards, dig.green, dig.amber, dig.returned) == (27 + 16 + 23, 27 + 16 + 16, 5, Decimal("80000"))
    assert {o.name: o.to_date for o in dig.outputs}["Projects live"] == 16
    latest = _rows(board, selectors.quarter_end(timezone.localdate()))
    for code in ("BI", "DIG", "OPE"):
        row = latest[code]
        assert row.green + row.amber + row.red > 0 and row.not_reported == 0, code
        assert all(o.to_date > 0 for o in row.outputs) and row.outputs, code
    page = _staff_client(client_for, board).get(reverse("reporting:board_report"), {"as_at": PAST_QUARTER.isoformat()})
    assert "59 green, 5 amber, 0 red, 0 not reported" in page.content.decode()


def test_match_funding_shows_on_the_award_page_exports_open_data_and_offer(demo, client_for):
    award = Award.objects.get(reference="BI2-000002")  # Kent: domestic abuse, match funded
    assert award.match_funding == Decimal("30000.00")
    manager = demo["programme.manager@lga.example.com"]
    c = _staff_client(client_for, manager)
    page = c.get(award.get_absolute_url()).content.decode()
    assert re.search(r"Match funding</dt>\s*<dd[^>]*>£30,000 from", page)
    response = c.get(reverse("reporting:download", args=["award-portfolio", "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    column = rows[0].index("Match funding (£)")
    assert {r[column] for r in rows[1:] if r[0].startswith("BI2-")} == {"30000.00"}
    assert {r[column] for r in rows[1:] if r[0].startswith("BI1-")} == {"0.00"}
    g = grant(grants_queryset().get(pk=award.pk))
    assert g["description"].endswith("Match funded: the recipient adds £30,000.")
    assert "Match funded" not in grant(grants_queryset().get(reference="BI1-000001"))["description"]
    # The manager sets it on an offer; the offer letter states it.
    offer = Award.objects.get(lead__code="KEN", status=AwardStatus.OFFERED)
    offer_terms_set(
        award=offer, actor=manager, conditions="", respond_by=offer.respond_by, match_funding=Decimal("4000")
    )
    letter = client_for(demo["signatory@kent.example.com"]).get(reverse("awards:offer_letter", args=[offer.pk]))
    assert re.search(r"Match funding</dt>\s*<dd[^>]*>£4,000 from Kent", letter.content.decode())


def test_board_report_offers_every_quarter_back_to_the_first_return(demo, client_for):
    """The quarter menu reaches the historic quarters (before, only the latest eight, so 2018 was
    reachable only by typing the date into the address)."""
    board = demo["board@lga.example.com"]
    page = _staff_client(client_for, board).get(reverse("reporting:board_report")).content.decode()
    assert f'value="{PAST_QUARTER.isoformat()}"' in page
    first = selectors.first_reported_period_end()
    assert first is not None and first <= PAST_QUARTER
    assert selectors.recent_quarter_ends(since=first)[-1] <= first
