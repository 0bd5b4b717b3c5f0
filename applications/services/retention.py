"""Retention of bids: a draft never submitted, in a round long closed, is deleted with its files."""

from datetime import datetime, timedelta

from django.db import transaction

from grants.core.audit import audit_record
from grants.core.personal_data import retention_days

from ..models import Bid, BidStatus


def abandoned_drafts(*, now: datetime):
    """Drafts never submitted (not even as an expression of interest) whose round closed more
    than the period ago: nobody can submit them any more, and they hold officers' names."""
    cutoff = now - timedelta(days=retention_days("abandoned_drafts"))
    return Bid.objects.filter(
        status=BidStatus.DRAFT,
        submitted_at__isnull=True,
        eoi_submitted_at__isnull=True,
        round__closes_at__lt=cutoff,
    )


def abandoned_drafts_delete(*, now: datetime) -> int:
    """Delete each abandoned draft, its answers, partners and evidence (the stored files after
    the transaction commits), leaving one audit record per bid that says what went and why.
    Idempotent: a deleted draft is not found again."""
    deleted = 0
    for bid_pk in list(abandoned_drafts(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            bid = abandoned_drafts(now=now).select_for_update().filter(pk=bid_pk).first()
            if bid is None:
                continue
            stored = [(e.file.storage, e.file.name) for e in bid.evidence.all() if e.file]
            audit_record(
                actor=None,
                action="bid.abandoned_deleted",
                target=bid,
                summary=f"Draft {bid.reference or bid.pk} deleted: never submitted, round closed "
                f"{bid.round.closes_at:%-d %B %Y}",
                data={"round": bid.round_id, "lead": bid.lead_id, "files": len(stored)},
            )
            bid.delete()
            transaction.on_commit(lambda stored=stored: [storage.delete(name) for storage, name in stored])
            deleted += 1
    return deleted
