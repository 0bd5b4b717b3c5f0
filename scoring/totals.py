"""The ranking's rule for one bid's figures, in one place: `services.totals` stores what this
works out, the data migration fills existing databases with it (through historical models, so
it takes an app registry), and the tests use it as the from-scratch oracle.

A bid's final score is the weighted percentage of its per-criterion scores, where each
criterion counts its moderated score when there is one, else the mean of the assessors'
latest submitted scores:

    final = ((S_all - S_moderated) / n + M) / D x 100

S_all: sum of score x weight over the assessors' current rows; S_moderated: the same over the
criteria that have a moderated score; M: sum of moderated score x weight; n: assessors who
submitted; D: sum of maximum x weight over the round's weighted criteria. Without moderation
this is the mean of the assessors' percentages (as stored on each assessment, to two places),
so an unmoderated bid needs no score rows. An assessment counts when it is submitted and its
assignment is not withdrawn (a reassignment or a conflict). The bid fails its gateway when an
assessor failed a gateway criterion, or its moderated score is a fail, which replaces theirs.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps as global_apps
from django.db.models import F

from .models.criteria import SCALE_RANGE, Scale

FOUR_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Totals:
    n_assessed: int = 0
    mean_pct: Decimal | None = None
    final_pct: Decimal | None = None
    min_pct: Decimal | None = None
    max_pct: Decimal | None = None
    spread: Decimal | None = None
    gateway_failed: bool = False
    has_moderation: bool = False


FIELDS = tuple(f.name for f in fields(Totals))
NOTHING = Totals()


def _places(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def totals_for(bid_ids: Iterable[int], *, apps=global_apps) -> dict[int, Totals]:
    """{bid id: its Totals} for every bid asked about, from its rows as they are now: a query
    for the assessments, one for moderation, and for moderated bids only their criteria and
    current score rows. `apps`: a migration's historical registry, else today's models."""
    ids = list(bid_ids)
    Assessment = apps.get_model("scoring", "Assessment")
    ModeratedScore = apps.get_model("scoring", "ModeratedScore")
    counted = defaultdict(list)
    for row in Assessment.objects.filter(
        bid_id__in=ids, assignment__withdrawn_at__isnull=True, submitted_version__gt=0
    ).values("pk", "bid_id", "percentage", "gateway_failed"):
        counted[row["bid_id"]].append(row)
    moderated = defaultdict(dict)
    for bid_id, criterion_id, score in ModeratedScore.objects.filter(bid_id__in=ids, is_current=True).values_list(
        "bid_id", "criterion_id", "score"
    ):
        moderated[bid_id][criterion_id] = score
    rows, criteria, denominators = _moderated_detail(apps, moderated, counted)
    out = {}
    for bid_id in ids:
        done = counted.get(bid_id, [])
        pcts = [a["percentage"] for a in done if a["percentage"] is not None]
        mean = sum(pcts) / len(pcts) if pcts else None
        failed = any(a["gateway_failed"] for a in done)
        final = mean
        if bid_id in moderated:
            final, failed = _moderated(moderated[bid_id], rows.get(bid_id, {}), criteria, denominators[bid_id], failed)
        out[bid_id] = Totals(
            n_assessed=len(done),
            mean_pct=_places(mean),
            final_pct=_places(final),
            min_pct=min(pcts) if pcts else None,
            max_pct=max(pcts) if pcts else None,
            spread=max(pcts) - min(pcts) if pcts else None,
            gateway_failed=failed,
            has_moderation=bid_id in moderated,
        )
    return out


def _moderated_detail(apps, moderated: dict, counted: dict) -> tuple[dict, dict, dict]:
    """For moderated bids: {bid: {assessment: {criterion: score}}} of the current rows, the
    criteria of their rounds {id: (weight, is gateway)} and each bid's denominator D."""
    if not moderated:
        return {}, {}, {}
    Bid = apps.get_model("applications", "Bid")
    Criterion = apps.get_model("scoring", "Criterion")
    Score = apps.get_model("scoring", "Score")
    round_of = dict(Bid.objects.filter(pk__in=list(moderated)).values_list("pk", "round_id"))
    criteria, bottoms = {}, defaultdict(int)
    for pk, round_id, weight, scale in Criterion.objects.filter(round_id__in=set(round_of.values())).values_list(
        "pk", "round_id", "weight", "scale"
    ):
        criteria[pk] = (weight, scale == Scale.GATEWAY)
        if scale != Scale.GATEWAY:
            bottoms[round_id] += SCALE_RANGE[scale][1] * weight
    assessments = [a["pk"] for bid_id in moderated for a in counted.get(bid_id, [])]
    rows: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for bid_id, assessment_id, criterion_id, score in Score.objects.filter(
        assessment_id__in=assessments, version=F("assessment__submitted_version")
    ).values_list("assessment__bid_id", "assessment_id", "criterion_id", "score"):
        rows[bid_id][assessment_id][criterion_id] = score
    return rows, criteria, {b: bottoms[r] or 1 for b, r in round_of.items()}


def _moderated(settled: dict[int, int], current: dict, criteria: dict, denominator: int, failed: bool) -> tuple:
    """(final, gateway failed) of a moderated bid: a moderated criterion counts its moderated
    score in place of the assessors' mean. `failed`: the assessors' verdict as their assessments
    recorded it, which stands unless a gateway criterion is moderated; then the assessors'
    rows count only on the gateways nobody moderated."""
    gateways = {c: score for c, score in settled.items() if criteria[c][1]}
    if gateways:
        failed = any(s == 0 and criteria[c][1] and c not in settled for a in current.values() for c, s in a.items())
    failed = failed or any(score == 0 for score in gateways.values())
    if not current:
        return None, failed
    top = sum(score * criteria[c][0] for c, score in settled.items() if not criteria[c][1])
    assessors = sum(
        s * criteria[c][0] for a in current.values() for c, s in a.items() if not criteria[c][1] and c not in settled
    )
    return (Decimal(assessors) / len(current) + top) * HUNDRED / denominator, failed


def as_row(totals: Totals) -> dict:
    return dict(zip(FIELDS, astuple(totals), strict=True))
