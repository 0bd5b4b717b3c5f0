"""The awards part of the synthetic dataset, in bulk: 10,000 awards and 40,000 returns at full size.

Awards are made from submitted bids of the assessed rounds (not the ranking round, which waits
for its decisions), each with a confirmed funded decision, the bid marked funded, two
milestones, two payment tranches, a target per round output, and one monitoring return per
quarter (four per award) with RAG and output values once reported. Most awards stand accepted,
active or completed, as a live portfolio does (only accepted awards reach 360Giving).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from bench.dataset import BATCH, Dataset

CHUNK = 2_000  # awards per step, with their returns, tranches and milestones
STATUSES = ["active"] * 50 + ["completed"] * 30 + ["accepted"] * 14 + ["offered"] * 3 + ["terminated"] * 3
RETURN_MIX = ["approved"] * 6 + ["submitted"] * 2 + ["changes_requested", "due"]
RAGS = ["green"] * 6 + ["amber"] * 3 + ["red"]


def build_awards(ds: Dataset) -> None:
    from applications.models import Bid

    periods, outputs = _schedules(ds)
    candidates = list(
        Bid.objects.filter(round_id__in=ds.assessed_round_ids, status="submitted")
        .exclude(round_id=ds.ranking_round_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = sorted(random.sample(candidates, min(ds.n("awards"), len(candidates))))
    totals = {"awards": 0, "returns": 0, "tranches": 0, "milestones": 0, "output_values": 0}
    for start in range(0, len(chosen), CHUNK):
        _awards_for(chosen[start : start + CHUNK], periods, outputs, totals)
    ds.counts.update(totals)


def _schedules(ds: Dataset) -> tuple[dict, dict]:
    """Four quarterly return periods and two outputs for every assessed round."""
    from grants.awards.models import ReturnPeriod, RoundOutput
    from grants.models import Round

    rounds = list(Round.objects.filter(pk__in=ds.assessed_round_ids).order_by("pk"))
    periods = []
    for r in rounds:
        y = r.financial_year
        starts = [date(y, 10, 1), date(y + 1, 1, 1), date(y + 1, 4, 1), date(y + 1, 7, 1)]
        for q, s in enumerate(starts, start=1):
            end = (s.replace(day=28) + timedelta(days=70)).replace(day=1) - timedelta(days=1)
            periods.append(
                ReturnPeriod(
                    round=r, title=f"Quarter {q}", period_start=s, period_end=end, due_on=end + timedelta(days=30)
                )
            )
    periods = ReturnPeriod.objects.bulk_create(periods)
    outputs = RoundOutput.objects.bulk_create(
        [
            RoundOutput(round=r, kind=k, unit=u, order=i)
            for r in rounds
            for i, (k, u) in enumerate([("savings", "pounds"), ("people_reached", "count")])
        ]
    )
    by_round_p: dict[int, list] = {}
    by_round_o: dict[int, list] = {}
    for p in periods:
        by_round_p.setdefault(p.round_id, []).append(p)
    for o in outputs:
        by_round_o.setdefault(o.round_id, []).append(o)
    return by_round_p, by_round_o


def _awards_for(bid_ids: list[int], periods: dict, outputs: dict, totals: dict) -> None:
    from applications.models import Bid, BidPartner
    from grants.awards.models import (
        Award,
        FundReturn,
        Milestone,
        MonitoringReturn,
        OutputTarget,
        OutputValue,
        PaymentTranche,
    )
    from scoring.models import Decision

    now = timezone.now()
    bids = list(Bid.objects.filter(pk__in=bid_ids).select_related("round").order_by("pk"))
    awards = []
    for b in bids:
        status = random.choice(STATUSES)
        award_date = b.round.closes_at.date() + timedelta(days=60)
        awards.append(
            Award(
                reference=b.reference,
                round_id=b.round_id,
                bid_id=b.pk,
                lead_id=b.lead_id,
                title=b.title,
                scope="What the project will do.",
                amount=b.amount_requested,
                status=status,
                status_changed_at=now,
                award_date=award_date,
                respond_by=award_date + timedelta(days=28),
                planned_start=b.planned_start,
                planned_end=b.planned_end,
                accepted_at=None if status == "offered" else b.round.closes_at + timedelta(days=70),
                accepted_name="" if status == "offered" else "A Signatory",
                accepted_role="" if status == "offered" else "Chief Executive",
            )
        )
    awards = Award.objects.bulk_create(awards, batch_size=BATCH)
    Decision.objects.bulk_create(
        [
            Decision(bid_id=a.bid_id, round_id=a.round_id, outcome="funded", status="confirmed", confirmed_at=now)
            for a in awards
        ],
        batch_size=BATCH,
    )
    Bid.objects.filter(pk__in=bid_ids).update(status="funded")
    partners = BidPartner.objects.filter(bid_id__in=bid_ids).values_list("bid_id", "organisation_id")
    by_bid = {a.bid_id: a.pk for a in awards}
    Award.partners.through.objects.bulk_create(
        [Award.partners.through(award_id=by_bid[b], organisation_id=o) for b, o in partners], batch_size=BATCH
    )
    milestones, tranches, returns, targets, fund_returns = [], [], [], [], []
    for a in awards:
        live = a.status != "offered"
        half = (a.amount / 2).quantize(Decimal("0.01"))
        start = a.planned_start or a.award_date
        milestones += [
            Milestone(
                award=a, description="Project started", due_on=start, status="complete" if live else "not_started"
            ),
            Milestone(
                award=a,
                description="Project delivered",
                due_on=a.planned_end or start,
                status="complete" if a.status == "completed" else "in_progress",
            ),
        ]
        tranches += [
            PaymentTranche(
                award=a, number=1, amount=half, status="paid" if live else "planned", paid_on=start if live else None
            ),
            PaymentTranche(
                award=a,
                number=2,
                amount=a.amount - half,
                status="paid" if a.status == "completed" else "planned",
                paid_on=a.planned_end if a.status == "completed" else None,
            ),
        ]
        targets += [
            OutputTarget(award=a, output=o, target=t, baseline=t, forecast=t)
            for o in outputs[a.round_id]
            for t in [Decimal(random.randrange(10, 500_000))]
        ]
        for p in periods[a.round_id]:
            rs = random.choice(RETURN_MIX) if live else "due"
            reported = rs != "due"
            returns.append(
                MonitoringReturn(
                    award=a,
                    period=p,
                    status=rs,
                    rag=random.choice(RAGS) if reported else "",
                    commentary="Progress as planned." if reported else "",
                    submitted_at=now - timedelta(days=30) if reported else None,
                    submission_count=1 if reported else 0,
                    **(_spend(a) if reported else {}),
                )
            )
        if live and random.random() < 0.03:
            fund_returns.append(
                FundReturn(
                    award=a,
                    amount=Decimal("1000.00"),
                    returned_on=a.award_date + timedelta(days=400),
                    reason="Underspend",
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    PaymentTranche.objects.bulk_create(tranches, batch_size=BATCH)
    OutputTarget.objects.bulk_create(targets, batch_size=BATCH)
    FundReturn.objects.bulk_create(fund_returns, batch_size=BATCH)
    returns = MonitoringReturn.objects.bulk_create(returns, batch_size=BATCH)
    values = [
        OutputValue(monitoring_return=r, output=o, value=Decimal(random.randrange(0, 50_000)))
        for r in returns
        if r.status != "due"
        for o in outputs[r.award.round_id]
    ]
    OutputValue.objects.bulk_create(values, batch_size=BATCH * 2)
    totals["awards"] += len(awards)
    totals["returns"] += len(returns)
    totals["tranches"] += len(tranches)
    totals["milestones"] += len(milestones)
    totals["output_values"] += len(values)


def _spend(award) -> dict:
    """Issue 17: a reported return's spend this period and its forecast at completion (a tenth
    of the awards forecast beyond a 10% tolerance), as the board report's spend section reads it."""
    part = (award.amount / 8).quantize(Decimal("0.01"))
    forecast = award.amount * Decimal(random.choice(["1.00"] * 9 + ["0.85"]))
    return {
        "spend_capital": part / 2,
        "spend_revenue": part / 2,
        "match_spent": Decimal("0.00"),
        "forecast_capital": (forecast / 2).quantize(Decimal("0.01")),
        "forecast_revenue": (forecast / 2).quantize(Decimal("0.01")),
    }
