"""Money committed against a round has one owner, `grants.awards.selectors.round_committed`, and
every path that can commit money asks it under the round's row lock: decision confirmation,
variation approval, historic awards and the budget edit. Each test below is one way a round was,
or could have been, over-committed; the ranking page and the dashboard show the same figure.

The round in every test has a budget of £400,000, as in the report that started this (issue 13):
an accepted award's increase was approved to £400,000, then a £45,000 decision was confirmed.
"""

import csv
import io
import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import BidStatus
from grants.awards import services as awards
from grants.awards.models import Award, AwardStatus, FundReturn, TrancheStatus, VariationKind
from grants.awards.selectors import round_committed, rounds_committed
from grants.models import Round, StaffRole
from grants.reporting.selectors import board_report, dashboard
from grants.selectors import round_committed_provider_register, round_committed_total
from grants.services import round_save
from scoring import selectors as scoring_selectors
from scoring import services as scoring
from scoring.models import Decision
from tests import factories as f
from tests.scoring.factories import ClosedRoundFactory, SubmittedBidFactory, close_round

from .factories import AwardFactory

pytestmark = pytest.mark.django_db
D = Decimal
A = AwardStatus
BUDGET = D("400000.00")


@pytest.fixture
def rnd(personas) -> Round:
    Round.objects.filter(pk=personas.round.pk).update(budget=BUDGET)
    return close_round(personas.round)  # decisions are made after the round closes


def _propose(personas, rnd, amount: str):
    bid = SubmittedBidFactory(round=rnd, amount_requested=D(amount))
    # Unassessed: the money, not the assessments, is what these tests are about.
    scoring.decision_propose(
        bid=bid, actor=personas.programme_manager, outcome="funded", assessments_override="Assessed elsewhere"
    )
    return bid


def _confirm(personas, rnd, bid, actor=None):
    return scoring.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=actor or personas.programme_manager)


def _increase(personas, award, new_amount: str):
    return awards.variation_request(
        award=award,
        actor=personas.lead_officer,
        kind=VariationKind.AMOUNT,
        reason="Costs rose",
        new_amount=D(new_amount),
    )


def _pay_first_tranche(award, amount: str | None = None) -> None:
    tranche = award.tranches.get()
    if amount is not None:
        tranche.amount = D(amount)
    tranche.status, tranche.paid_on, tranche.payment_reference = TrancheStatus.PAID, timezone.localdate(), "P1"
    tranche.save()


class TestEveryPathAsksTheOwner:
    def test_variation_then_decision_is_refused(self, personas, rnd):
        """The reported bug: £355,000 + £45,000 increase = £400,000, then a £45,000 decision."""
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACCEPTED, amount=D("355000"))
        v = _increase(personas, award, "400000")
        awards.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
        bid = _propose(personas, rnd, "45000")
        with pytest.raises(scoring.AssessmentError) as refused:
            _confirm(personas, rnd, bid)
        assert str(refused.value.messages[0]) == (
            "Funding these bids would commit £445,000, more than the budget of £400,000 (£400,000 is already committed)"
        )
        bid.refresh_from_db()
        assert bid.status == BidStatus.SUBMITTED and not Award.objects.filter(bid=bid).exists()
        assert round_committed(round=rnd) == BUDGET

    def test_decision_then_variation_is_refused(self, personas, rnd):
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACCEPTED, amount=D("355000"))
        v = _increase(personas, award, "400000")
        _confirm(personas, rnd, _propose(personas, rnd, "45000"))
        with pytest.raises(awards.AwardError) as refused:
            awards.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
        assert "would commit £445,000 in" in refused.value.messages[0]
        assert "(£400,000 is already committed)" in refused.value.messages[0]
        award.refresh_from_db()
        assert award.amount == D("355000.00") and round_committed(round=rnd) == BUDGET

    def test_historic_award_then_decision_is_refused(self, personas, rnd):
        awards.award_create_historic(
            round=rnd, lead=personas.lead_org, title="Before the service", amount=D("380000"),
            award_date=date(2024, 4, 1), actor=personas.programme_manager,
        )  # fmt: skip
        bid = _propose(personas, rnd, "45000")
        with pytest.raises(scoring.AssessmentError, match="more than the budget of £400,000"):
            _confirm(personas, rnd, bid)
        assert round_committed(round=rnd) == D("380000.00")

    def test_historic_award_then_variation_is_refused(self, personas, rnd):
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACCEPTED, amount=D("355000"))
        awards.award_create_historic(
            round=rnd, lead=personas.other_org, title="Before the service", amount=D("45000"),
            award_date=date(2024, 4, 1), actor=personas.programme_manager,
        )  # fmt: skip
        v = _increase(personas, award, "355000.01")
        with pytest.raises(awards.AwardError, match=r"would commit £400,000.01 in .*\(£400,000 is already committed\)"):
            awards.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
        assert Award.objects.get(pk=award.pk).amount == D("355000.00")

    def test_a_historic_award_cannot_pass_the_budget(self, personas, rnd):
        _confirm(personas, rnd, _propose(personas, rnd, "45000"))
        with pytest.raises(awards.AwardError) as refused:
            awards.award_create_historic(
                round=rnd, lead=personas.other_org, title="Too late", amount=D("355000.01"),
                award_date=date(2024, 4, 1), actor=personas.programme_manager,
            )  # fmt: skip
        assert refused.value.message_dict["amount"] == [
            "This award would commit £400,000.01 in Digital Inclusion test round, more than its budget of "
            "£400,000 (£45,000 is already committed)"
        ]
        assert not Award.objects.filter(is_historic=True).exists()
        exactly = awards.award_create_historic(
            round=rnd, lead=personas.other_org, title="Fits", amount=D("355000"),
            award_date=date(2024, 4, 1), actor=personas.programme_manager,
        )  # fmt: skip
        assert exactly.is_historic and round_committed(round=rnd) == BUDGET

    def test_variation_then_historic_award_is_refused(self, personas, rnd):
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACCEPTED, amount=D("355000"))
        awards.variation_decide(
            variation=_increase(personas, award, "400000"), actor=personas.programme_manager, approve=True
        )
        with pytest.raises(awards.AwardError, match=r"would commit £400,000.01 in .*\(£400,000 is already committed\)"):
            awards.award_create_historic(
                round=rnd, lead=personas.other_org, title="One penny over", amount=D("0.01"),
                award_date=date(2024, 4, 1), actor=personas.programme_manager,
            )  # fmt: skip
        assert not Award.objects.filter(is_historic=True).exists()

    def test_a_historic_award_that_holds_nothing_is_not_counted(self, personas, rnd):
        AwardFactory(round=rnd, status=A.ACTIVE, amount=BUDGET)
        withdrawn = awards.award_create_historic(
            round=rnd, lead=personas.other_org, title="Offer withdrawn", amount=D("50000"),
            award_date=date(2024, 4, 1), actor=personas.programme_manager, status=A.WITHDRAWN,
        )  # fmt: skip
        assert withdrawn.status == A.WITHDRAWN and round_committed(round=rnd) == BUDGET

    def test_the_budget_cannot_be_cut_below_what_is_committed(self, personas, rnd):
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACTIVE, amount=D("100000"))
        awards.variation_decide(
            variation=_increase(personas, award, "150000"), actor=personas.programme_manager, approve=True
        )
        _confirm(personas, rnd, _propose(personas, rnd, "45000"))
        ended = AwardFactory(round=rnd, status=A.ACTIVE, amount=D("60000"))
        _pay_first_tranche(ended)
        FundReturn.objects.create(award=ended, amount=D("20000"), returned_on=date(2025, 1, 1), reason="Unspent")
        awards.award_end(award=ended, actor=personas.programme_manager, to=A.TERMINATED, reason="Stopped")
        committed = D("150000") + D("45000") + D("40000")  # the variation, the decision, what ended kept
        assert round_committed(round=rnd) == committed
        with pytest.raises(ValidationError) as refused:
            round_save(actor=personas.programme_manager, round=rnd, budget=committed - D("0.01"))
        assert refused.value.message_dict["budget"] == [
            "Budget must be at least £235,000, the amount already committed"
        ]
        assert Round.objects.get(pk=rnd.pk).budget == BUDGET
        round_save(actor=personas.programme_manager, round=rnd, budget=committed)
        assert Round.objects.get(pk=rnd.pk).budget == committed


def test_committed_money_has_one_owner(rnd):
    """The round budget guard asks the awards app; a second formula registered beside it is refused."""
    round_committed_provider_register(round_committed)  # the owner again (AwardsConfig.ready): no change
    with pytest.raises(ImproperlyConfigured, match="already has an owner: round_committed"):
        round_committed_provider_register(lambda *, round: Decimal("0.00"))
    AwardFactory(round=rnd, status=A.ACTIVE, amount=D("1000"))
    assert round_committed_total(round=rnd) == round_committed(round=rnd) == D("1000.00")


def test_every_part_for_many_rounds_comes_in_one_query(personas, rnd, django_assert_num_queries):
    """Standing awards, what a terminated award kept, and decisions not yet issued, for several
    rounds: one query however many rounds (each page and budget check pays for it)."""
    other = ClosedRoundFactory(programme=rnd.programme, budget=BUDGET)
    AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACTIVE, amount=D("1000"))
    ended = AwardFactory(round=other, status=A.ACTIVE, amount=D("5000"))
    _pay_first_tranche(ended, "2000")
    FundReturn.objects.create(award=ended, amount=D("500"), returned_on=date(2025, 1, 1), reason="Unspent")
    Award.objects.filter(pk=ended.pk).update(status=A.TERMINATED)
    bid = _propose(personas, other, "300")
    _confirm(personas, other, bid)
    Award.objects.filter(bid=bid).delete()  # confirmed, award not issued yet
    AwardFactory(round=other, status=A.DECLINED, amount=D("9999"))
    with django_assert_num_queries(1):
        committed = rounds_committed(round_ids=[rnd.pk, other.pk])
    assert committed == {rnd.pk: D("1000.00"), other.pk: D("2000") - D("500") + D("300")}


class TestMoneyComesBack:
    def test_a_declined_offer_frees_its_money(self, personas, rnd):
        offer = AwardFactory(round=rnd, lead=personas.lead_org, status=A.OFFERED, amount=BUDGET)
        bid = _propose(personas, rnd, "45000")
        with pytest.raises(scoring.AssessmentError, match="more than the budget"):
            _confirm(personas, rnd, bid)
        awards.award_decline(award=offer, actor=personas.signatory, reason="We cannot match fund")
        _confirm(personas, rnd, bid)
        assert Award.objects.get(bid=bid).amount == D("45000.00")
        assert round_committed(round=rnd) == D("45000.00")

    def test_a_withdrawn_offer_frees_its_money(self, personas, rnd):
        offer = AwardFactory(round=rnd, lead=personas.lead_org, status=A.OFFERED, amount=BUDGET)
        bid = _propose(personas, rnd, "45000")
        with pytest.raises(scoring.AssessmentError, match="more than the budget"):
            _confirm(personas, rnd, bid)
        awards.award_end(award=offer, actor=personas.programme_manager, to=A.WITHDRAWN, reason="No reply")
        _confirm(personas, rnd, bid)
        assert round_committed(round=rnd) == D("45000.00")

    def test_a_terminated_award_keeps_what_it_was_paid_less_what_came_back(self, personas, rnd):
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACTIVE, amount=BUDGET, tranche=False)
        award.tranches.create(number=1, amount=D("100000"), due_on=award.planned_start)
        award.tranches.create(number=2, amount=D("300000"), due_on=award.planned_end)
        first = award.tranches.get(number=1)
        first.status, first.paid_on, first.payment_reference = TrancheStatus.PAID, timezone.localdate(), "P1"
        first.save()
        FundReturn.objects.create(award=award, amount=D("10000"), returned_on=date(2025, 1, 1), reason="Unspent")
        awards.award_end(award=award, actor=personas.programme_manager, to=A.TERMINATED, reason="Stopped")
        assert round_committed(round=rnd) == D("90000.00")
        too_much = _propose(personas, rnd, "310000.01")
        with pytest.raises(
            scoring.AssessmentError, match=r"would commit £400,000.01.*\(£90,000 is already committed\)"
        ):
            _confirm(personas, rnd, too_much)
        scoring.decision_propose(
            bid=too_much,
            actor=personas.programme_manager,
            outcome="funded",
            amount=D("310000"),
            assessments_override="Assessed elsewhere",
        )
        _confirm(personas, rnd, too_much)
        assert round_committed(round=rnd) == BUDGET

    def test_a_variation_may_use_what_a_terminated_award_gave_back(self, personas, rnd):
        """A terminated award holds what it was paid less what came back, not its amount: counting
        the amount would refuse an increase the budget has room for."""
        ended = AwardFactory(round=rnd, status=A.ACTIVE, amount=D("200000"))
        _pay_first_tranche(ended, "50000")
        awards.award_end(award=ended, actor=personas.programme_manager, to=A.TERMINATED, reason="Stopped")
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACCEPTED, amount=D("300000"))
        assert round_committed(round=rnd) == D("350000.00")
        approved = awards.variation_decide(
            variation=_increase(personas, award, "350000"), actor=personas.programme_manager, approve=True
        )
        assert approved.award.amount == D("350000.00") and round_committed(round=rnd) == BUDGET


class TestAsAtAQuarterEnd:
    """The board report reads committed money at a quarter end: only what had happened by then."""

    @pytest.fixture
    def history(self, personas, rnd):
        AwardFactory(round=rnd, status=A.ACTIVE, amount=D("100000"), award_date=date(2024, 1, 10))
        AwardFactory(round=rnd, status=A.ACCEPTED, amount=D("50000"), award_date=date(2024, 6, 1))
        AwardFactory(round=rnd, status=A.DECLINED, amount=D("70000"), award_date=date(2024, 1, 10))
        ended = AwardFactory(round=rnd, status=A.ACTIVE, amount=D("80000"), award_date=date(2024, 1, 10), tranche=False)
        for number, amount, paid_on in ((1, "30000", date(2024, 2, 1)), (2, "20000", date(2024, 8, 1))):
            ended.tranches.create(
                number=number, amount=D(amount), due_on=paid_on, status=TrancheStatus.PAID, paid_on=paid_on,
                payment_reference=f"P{number}",
            )  # fmt: skip
        FundReturn.objects.create(award=ended, amount=D("5000"), returned_on=date(2024, 9, 1), reason="Unspent")
        Award.objects.filter(pk=ended.pk).update(status=A.TERMINATED)
        bid = _propose(personas, rnd, "10000")
        _confirm(personas, rnd, bid)  # confirmed on 1 March, its award made on 1 May
        Award.objects.filter(bid=bid).update(award_date=date(2024, 5, 1))
        Decision.objects.filter(bid=bid).update(confirmed_at=timezone.make_aware(datetime(2024, 3, 1, 23, 30)))
        return bid

    @pytest.mark.parametrize(
        "as_at, expected",
        [
            (date(2024, 2, 29), "130000"),  # award 100,000 + terminated award's first payment 30,000
            (date(2024, 3, 31), "140000"),  # + the decision confirmed on 1 March, no award yet
            (date(2024, 6, 30), "190000"),  # its award (10,000, not counted twice) + the June award
            (date(2024, 12, 31), "205000"),  # + second payment 20,000 - 5,000 returned
        ],
    )
    def test_only_what_had_happened_by_then_counts(self, personas, rnd, history, as_at, expected):
        assert rounds_committed(round_ids=[rnd.pk], as_at=as_at) == {rnd.pk: D(expected)}
        [row] = [r for r in board_report(user=personas.administrator, as_at=as_at) if r.programme == rnd.programme]
        assert row.committed == D(expected)

    def test_the_quarter_ends_at_midnight_in_london(self, rnd, history):
        """00:30 on 1 April in London is still 31 March in UTC: the decision is the next quarter's."""
        london = timezone.make_aware(datetime(2024, 4, 1, 0, 30))
        Decision.objects.filter(bid=history).update(confirmed_at=london)
        assert london.astimezone(UTC).date() == date(2024, 3, 31)
        assert rounds_committed(round_ids=[rnd.pk], as_at=date(2024, 3, 31)) == {rnd.pk: D("130000")}

    def test_today_counts_everything(self, rnd, history):
        assert round_committed(round=rnd) == D("205000.00")

    def test_the_board_report_page_and_download_show_it(self, personas, rnd, history, client_for):
        c = client_for(personas.administrator)
        page = c.get(reverse("reporting:board_report"), {"as_at": "2024-03-31"}).content.decode()
        assert f'data-programme="{rnd.programme.slug}"' in page
        row = page.split(f'data-programme="{rnd.programme.slug}"')[1].split("</tr>")[0]
        assert 'data-figure="committed">£140,000</td>' in row
        r = c.get(reverse("reporting:download", args=["board-report", "csv"]), {"as_at": "2024-03-31"})
        data = list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode())))
        [mine] = [
            d
            for d in data
            if (d["Programme"], d["Section"], d["Measure"]) == (rnd.programme.name, "Overview", "Committed")
        ]
        assert (D(mine["Value"]), mine["Unit"]) == (D("140000"), "pounds")


class TestPagesShowTheOwnersFigure:
    def test_the_funding_line_starts_from_what_is_committed(self, personas, rnd, client_for):
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACCEPTED, amount=D("355000"))
        awards.variation_decide(
            variation=_increase(personas, award, "380000"), actor=personas.programme_manager, approve=True
        )
        too_big = SubmittedBidFactory(round=rnd, amount_requested=D("45000"))
        fits = SubmittedBidFactory(round=rnd, amount_requested=D("20000"))
        result = scoring_selectors.funding_line(
            bids=_scored(rnd, [fits, too_big]), budget=rnd.budget, committed=round_committed(round=rnd)
        )
        assert [r.above_line for r in result.rows] == [True, False]  # £45,000 does not fit in what is left
        assert result.committed == D("380000.00") and result.recommended_total == D("400000.00")
        assert scoring_selectors.ranking_for_round(rnd).committed == D("380000.00")
        response = client_for(personas.programme_manager).get(reverse("scoring:ranking", args=[rnd.slug]))
        assert response.status_code == 200
        assert "£380,000" in response.text and "£20,000" in response.text  # committed, and what is left

    def test_the_dashboard_shows_committed_money(self, personas, rnd):
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACCEPTED, amount=D("355000"))
        awards.variation_decide(
            variation=_increase(personas, award, "380000"), actor=personas.programme_manager, approve=True
        )
        AwardFactory(round=rnd, status=A.DECLINED, amount=D("99000"))
        AwardFactory(round=rnd, status=A.TERMINATED, amount=D("50000"))  # ended with nothing paid: holds nothing
        other = f.RoundFactory(programme=rnd.programme, budget=D("100000"))
        AwardFactory(round=other, status=A.OFFERED, amount=D("15000"))
        d = dashboard(user=personas.programme_manager)
        assert d.committed == round_committed(round=rnd) + round_committed(round=other) == D("395000.00")
        assert d.uncommitted == d.budget - d.committed


def _scored(rnd, bids):
    """The ranking's rows for these bids in this order, each given a score (the funding line only
    walks scored bids; scoring them through panels is tests/scoring's business)."""
    rows = {b.pk: b for b in scoring_selectors.ranking_queryset(rnd).filter(pk__in=[b.pk for b in bids])}
    for row in rows.values():
        row.final_pct = D("50")
    return [rows[b.pk] for b in bids]


# Races: real threads and real row locks, so PostgreSQL only. The first writer holds its
# transaction open after its change; the second starts meanwhile. With the round lock the second
# waits, then sees the first's money and refuses; without it, both would read the same total.


def _hold_open(work, holding: threading.Event, release: threading.Event, results: list, name: str, errors):
    try:
        with transaction.atomic():
            work()
            holding.set()
            release.wait(timeout=10)
        results.append(f"{name} ok")
    except errors:
        results.append(f"{name} refused")
    finally:
        holding.set()
        connections.close_all()


def _then(work, results: list, name: str, errors):
    try:
        work()
        results.append(f"{name} ok")
    except errors:
        results.append(f"{name} refused")
    finally:
        connections.close_all()


def _race(first, second, errors) -> list[str]:
    holding, release, results = threading.Event(), threading.Event(), []
    one = threading.Thread(target=_hold_open, args=(first, holding, release, results, "first", errors))
    one.start()
    assert holding.wait(timeout=10)
    two = threading.Thread(target=_then, args=(second, results, "second", errors))
    two.start()
    two.join(timeout=1)  # with the lock the second is still waiting; without it, it has finished
    release.set()
    one.join(timeout=10)
    two.join(timeout=10)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestRaces:
    @pytest.fixture(autouse=True)
    def _postgres_only(self):
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL row locks")

    def test_two_managers_confirming_at_once_cannot_over_commit(self, personas, rnd):
        second_pm = f.UserFactory()
        StaffRole.objects.create(user=second_pm, role="programme_manager", programme=rnd.programme)
        AwardFactory(round=rnd, status=A.ACCEPTED, amount=D("355000"))
        x, y = _propose(personas, rnd, "45000"), _propose(personas, rnd, "45000")
        results = _race(
            lambda: _confirm(personas, Round.objects.get(pk=rnd.pk), x),
            lambda: _confirm(personas, Round.objects.get(pk=rnd.pk), y, actor=second_pm),
            scoring.AssessmentError,
        )
        assert sorted(results) == ["first ok", "second refused"]
        assert round_committed(round=rnd) == BUDGET
        assert Award.objects.filter(round=rnd, bid__isnull=False).count() == 1

    def test_a_variation_and_a_decision_at_once_cannot_over_commit(self, personas, rnd):
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACCEPTED, amount=D("355000"))
        v = _increase(personas, award, "400000")
        bid = _propose(personas, rnd, "45000")
        results = _race(
            lambda: awards.variation_decide(variation=v, actor=personas.programme_manager, approve=True),
            lambda: _confirm(personas, Round.objects.get(pk=rnd.pk), bid),
            (awards.AwardError, scoring.AssessmentError),
        )
        assert sorted(results) == ["first ok", "second refused"]
        assert round_committed(round=rnd) == BUDGET
        assert not Award.objects.filter(bid=bid).exists()

    def test_a_decision_and_a_variation_at_once_cannot_over_commit(self, personas, rnd):
        award = AwardFactory(round=rnd, lead=personas.lead_org, status=A.ACCEPTED, amount=D("355000"))
        v = _increase(personas, award, "400000")
        bid = _propose(personas, rnd, "45000")
        results = _race(
            lambda: _confirm(personas, Round.objects.get(pk=rnd.pk), bid),
            lambda: awards.variation_decide(variation=v, actor=personas.programme_manager, approve=True),
            (awards.AwardError, scoring.AssessmentError),
        )
        assert sorted(results) == ["first ok", "second refused"]
        assert round_committed(round=rnd) == BUDGET
        assert Award.objects.get(pk=award.pk).amount == D("355000.00")
