"""The scoring part of the synthetic dataset, in bulk.

Every assessed round gets a panel (three assessors per bid), eight criteria (seven weighted on
0 to 4 and one pass/fail gateway), a declaration from each panel member, and three submitted
assessments of all eight criteria per bid (version 1 of each score). The bench assessor sits on
the big round's panel and is assigned two bids in five (2,000 at full size), which is the queue
the assessor page shows. A few bids of the ranking round carry a moderated score, so the
ranking's moderation path is exercised too.
"""

import random
from decimal import Decimal

from bench.dataset import BATCH, Dataset

WEIGHTS = [25, 20, 15, 10, 10, 10, 10]  # the seven weighted criteria; the eighth is the gateway
PANEL_SIZE = 6
PER_BID = 3
CHUNK = 2_000  # assessments per bulk round trip (x 8 scores)


def build_scoring(ds: Dataset) -> None:
    from applications.models import Bid
    from grants.models import Round
    from scoring.models import Criterion, Declaration, Panel, PanelMember, Scale

    pool = _assessor_pool()
    rounds = list(Round.objects.filter(pk__in=ds.assessed_round_ids).order_by("pk"))
    panels = Panel.objects.bulk_create(
        [Panel(round=r, name=f"Panel for {r.name}", assessors_per_bid=PER_BID) for r in rounds]
    )
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(
                round=r,
                name=f"Criterion {i + 1}" if i < len(WEIGHTS) else "Gateway: eligible activity",
                weight=WEIGHTS[i] if i < len(WEIGHTS) else 1,
                scale=Scale.ZERO_FOUR if i < len(WEIGHTS) else Scale.GATEWAY,
                order=i,
            )
            for r in rounds
            for i in range(len(WEIGHTS) + 1)
        ]
    )
    by_round: dict[int, list] = {}
    for c in criteria:
        by_round.setdefault(c.round_id, []).append(c)
    assessor = ds.people["assessor"]
    members, declarations, panel_users = [], [], {}
    for panel, r in zip(panels, rounds, strict=True):
        users = random.sample(pool, PANEL_SIZE)
        if r.pk == ds.big_round_id:
            users = [assessor, *users]
        panel_users[r.pk] = users
        members += [PanelMember(panel=panel, user=u, is_chair=n == 1) for n, u in enumerate(users)]
        declarations += [Declaration(round=r, user=u, confirmed_at=r.closes_at) for u in users]
    PanelMember.objects.bulk_create(members, batch_size=BATCH)
    Declaration.objects.bulk_create(declarations, batch_size=BATCH)

    totals = {"assessments": 0, "scores": 0, "assessor_queue": 0}
    for r in rounds:
        bids = list(Bid.objects.filter(round=r).order_by("pk").values_list("pk", flat=True))
        users = panel_users[r.pk]
        others = [u for u in users if u.pk != assessor.pk]
        pairs = []
        for n, bid_id in enumerate(bids):
            if r.pk == ds.big_round_id and n % 5 in (0, 1):  # two bids in five: 2,000 of 5,000
                chosen = [assessor, *random.sample(others, PER_BID - 1)]
                totals["assessor_queue"] += 1
            else:
                chosen = random.sample(others, PER_BID)
            pairs += [(bid_id, u) for u in chosen]
        for start in range(0, len(pairs), CHUNK):
            _assess(pairs[start : start + CHUNK], by_round[r.pk], r.closes_at, totals)
    _moderate(ds, by_round.get(ds.ranking_round_id, []))
    ds.counts.update(totals, assessors=len(pool), assessed_rounds=len(rounds))


def _assessor_pool() -> list:
    from grants.models import User

    users = [User(email=f"bench.assessor{i:02d}@example.com") for i in range(24)]
    for u in users:
        u.set_unusable_password()
    return User.objects.bulk_create(users)


def _assess(pairs: list, criteria: list, closes_at, totals: dict) -> None:
    """Assignments, assessments and scores for one chunk of (bid id, assessor) pairs."""
    from datetime import timedelta

    from scoring.models import Assessment, AssessmentStatus, Assignment, Score
    from scoring.services import bid_totals_refresh

    assignments = Assignment.objects.bulk_create(
        [Assignment(bid_id=bid_id, assessor=u) for bid_id, u in pairs], batch_size=BATCH
    )
    weighted = [c for c in criteria if not c.is_gateway]
    denominator = sum(c.max_score * c.weight for c in weighted)
    submitted_at = closes_at + timedelta(days=10)
    assessments, all_scores = [], []
    for a in assignments:
        quality = random.random()  # each bid-assessor pair leans good or weak, so ranks spread
        scores = {
            c.pk: (1 if random.random() > 0.03 else 0)
            if c.is_gateway
            else max(0, min(4, round(quality * 4 + random.uniform(-1, 1))))
            for c in criteria
        }
        pct = Decimal(sum(scores[c.pk] * c.weight for c in weighted) * 100 / denominator).quantize(Decimal("0.01"))
        assessments.append(
            Assessment(
                assignment=a,
                bid_id=a.bid_id,
                status=AssessmentStatus.SUBMITTED,
                submitted_version=1,
                submitted_at=submitted_at,
                percentage=pct,
                gateway_failed=any(scores[c.pk] == 0 for c in criteria if c.is_gateway),
            )
        )
        all_scores.append(scores)
    assessments = Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    Score.objects.bulk_create(
        [
            Score(assessment=a, criterion_id=cid, version=1, score=value, justification="Meets the criterion in part.")
            for a, scores in zip(assessments, all_scores, strict=True)
            for cid, value in scores.items()
        ],
        batch_size=BATCH * 4,
    )
    totals["assessments"] += len(assessments)
    totals["scores"] += len(assessments) * len(criteria)
    # Bulk rows bypass the services, so the bids' stored totals (what the ranking reads) are
    # worked out here, by the same function.
    bid_totals_refresh({bid_id for bid_id, _ in pairs})


def _moderate(ds: Dataset, criteria: list) -> None:
    """One bid in fifty of the ranking round has its first criterion moderated."""
    from applications.models import Bid
    from scoring.models import ModeratedScore
    from scoring.services import bid_totals_refresh

    if not criteria:
        return
    bids = list(Bid.objects.filter(round_id=ds.ranking_round_id).order_by("pk").values_list("pk", flat=True)[::50])
    ModeratedScore.objects.bulk_create(
        [
            ModeratedScore(bid_id=b, criterion=criteria[0], score=2, reason="Settled by the chair", moderated_by=None)
            for b in bids
        ]
    )
    bid_totals_refresh(bids)
    ds.counts["moderated_bids"] = len(bids)
