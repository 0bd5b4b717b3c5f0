"""Keeping each bid's score totals (`BidTotals`) true: every write that changes what the ranking
shows (a submission, a moderated score, an assessor taken off a bid, the round's criteria)
calls `bid_totals_refresh` in its own transaction, so the totals change with the rows or not
at all."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from grants.models import Round

from ..models import BidTotals
from ..totals import FIELDS, as_row, totals_for

CHUNK = 500  # bids a statement, well inside SQLite's limit on parameters


@transaction.atomic
def bid_totals_refresh(bid_ids: Iterable[int]) -> None:
    """Work the bids' totals out again from their rows and store them.

    Each bid's totals row is locked before its rows are read: two transactions refreshing the
    same bid (two moderators settling different criteria, a moderation and a withdrawal) would
    each read the rows before the other committed and the second write would drop the first's
    change. With the lock the second waits, then reads (READ COMMITTED: a new statement sees
    what committed meanwhile) and counts both. Bids are locked in order, so two refreshes of
    overlapping bids cannot deadlock."""
    ids = sorted(set(bid_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        BidTotals.objects.bulk_create([BidTotals(bid_id=pk) for pk in chunk], ignore_conflicts=True)
        list(BidTotals.objects.select_for_update().filter(bid_id__in=chunk).order_by("bid_id").values_list("pk"))
        fresh = totals_for(chunk)
        now = timezone.now()
        rows = [BidTotals(bid_id=pk, updated_at=now, **as_row(fresh[pk])) for pk in chunk]
        BidTotals.objects.bulk_update(rows, [*FIELDS, "updated_at"])


def round_totals_refresh(round: Round) -> None:
    """Every bid of the round that has totals or may need them: the criteria changed (their
    weights and scales are in every moderated bid's final score), or a bulk load wrote scores."""
    from ..models import Assessment, ModeratedScore

    bids = set(BidTotals.objects.filter(bid__round=round).values_list("bid_id", flat=True))
    bids |= set(Assessment.objects.filter(bid__round=round).values_list("bid_id", flat=True))
    bids |= set(ModeratedScore.objects.filter(bid__round=round).values_list("bid_id", flat=True))
    bid_totals_refresh(bids)
