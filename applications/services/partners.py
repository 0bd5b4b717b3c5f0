"""Partner councils and collaborators on a bid."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from grants.core.audit import audit_record
from grants.core.transitions import transition
from grants.models import Organisation, User
from grants.people_selectors import council_officers, is_council_officer

from ..models import (
    PARTNER_KINDS,
    Bid,
    BidPartner,
    OtherPartner,
    PartnerStatus,
)
from .common import BidError, bid_editors, bid_facts, bid_notify, bid_url, officers_of
from .eligibility import lock_editable, partner_problems


def partner_attach(*, bid: Bid, actor: User, organisation: Organisation) -> BidPartner:
    partner, created = BidPartner.objects.get_or_create(bid=bid, organisation=organisation)
    summary = f"Asked {organisation.short_name} to partner"
    if not created and partner.status == PartnerStatus.DECLINED:  # asked again
        transition(
            partner,
            to=PartnerStatus.REQUESTED,
            actor=actor,
            action="bid.partner_added",
            target=bid,
            summary=summary,
            fields={"decline_reason": ""},
            error=BidError,
        )
    else:
        audit_record(actor=actor, action="bid.partner_added", target=bid, summary=summary)
    url = reverse("applications:partner_respond", args=[bid.pk])
    bid_notify(
        bid=bid,
        programme=bid.round.programme_id,
        recipients=officers_of(organisation.pk),
        event="partner_confirmation_requested",
        context={
            "round_name": bid.round.name,
            "partner_name": organisation.short_name,
            "lead_name": bid.lead.short_name,
        },
        dedupe_key=f"partner_confirmation_requested:{partner.pk}:{partner.requested_at:%s}",
        url=url,
    )
    return partner


@transaction.atomic
def add_partner(*, bid: Bid, actor: User, organisation: Organisation, now=None) -> BidPartner:
    bid = lock_editable(bid, actor, now)
    current = [
        p.organisation for p in bid.partners.select_related("organisation") if p.organisation_id != organisation.pk
    ]
    problems = partner_problems(
        round=bid.round,
        lead_id=bid.lead_id,
        organisations=[*current, organisation],
        others=bid.other_partners.count(),
    )
    if problems:
        raise BidError(problems)
    return partner_attach(bid=bid, actor=actor, organisation=organisation)


@transaction.atomic
def remove_partner(*, bid: Bid, actor: User, partner: BidPartner, now=None) -> None:
    bid = lock_editable(bid, actor, now)
    if partner.bid_id != bid.pk:
        raise BidError("That partner is not on this bid.")
    name = partner.organisation.short_name
    partner.delete()
    audit_record(actor=actor, action="bid.partner_removed", target=bid, summary=f"Removed partner {name}")


@transaction.atomic
def add_other_partner(
    *,
    bid: Bid,
    actor: User,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_email: str = "",
    role: str = "",
    now=None,
) -> OtherPartner:
    """The lead council names a body that has no account (a charity, an NHS trust): no request
    is sent and nothing waits for it. It counts towards the round's maximum all the same."""
    bid = lock_editable(bid, actor, now)
    name = " ".join(name.split())
    if bid.other_partners.filter(name__iexact=name).exists():
        raise BidError({"name": f"{name} is already a partner on this bid"})
    named = Organisation.objects.filter(
        Q(name__iexact=name) | Q(short_name__iexact=name), end_date__isnull=True, kind__in=PARTNER_KINDS
    )
    known = named.filter(pk__in=council_officers(organisation_ids=named).values("organisation_id")).first()
    if known is not None:
        # It can confirm for itself: today's flow, so the bid shows its answer, not our say-so.
        raise BidError({"name": f"{known.short_name} uses this service: search for it and add it, so it can confirm"})
    problems = partner_problems(
        round=bid.round,
        lead_id=bid.lead_id,
        organisations=[p.organisation for p in bid.partners.select_related("organisation")],
        others=bid.other_partners.count() + 1,
    )
    if problems:
        raise BidError(problems)
    other = OtherPartner.objects.create(
        bid=bid, name=name, kind=kind, contact_name=contact_name, contact_email=contact_email, role=role
    )
    audit_record(
        actor=actor,
        action="bid.other_partner_added",
        target=bid,
        summary=f"Added {name} ({other.get_kind_display().lower()}) as a partner",
    )
    return other


@transaction.atomic
def remove_other_partner(*, bid: Bid, actor: User, other: OtherPartner, now=None) -> None:
    bid = lock_editable(bid, actor, now)
    if other.bid_id != bid.pk:
        raise BidError("That partner is not on this bid.")
    name = other.name
    other.delete()
    audit_record(actor=actor, action="bid.other_partner_removed", target=bid, summary=f"Removed partner {name}")


@transaction.atomic
def respond_to_partner(*, partner: BidPartner, actor: User, confirm: bool, reason: str = "") -> BidPartner:
    """A partner council's officer confirms or declines; the lead's officers hear either way."""
    from ..permissions import is_barred

    if not is_council_officer(user=actor, organisation_id=partner.organisation_id) or is_barred(actor, partner.bid):
        raise BidError("Only an officer of the partner council can answer this request.")
    if not partner.bid.is_editable_status:
        raise BidError("This bid has been submitted or closed, so its partners cannot change.")
    if not confirm and not reason.strip():
        raise BidError({"reason": "Enter why your council is declining"})
    verb = "confirmed" if confirm else "declined"
    bid = partner.bid
    transition(
        partner,
        to=PartnerStatus.CONFIRMED if confirm else PartnerStatus.DECLINED,
        actor=actor,
        action=f"bid.partner_{verb}",
        target=bid,
        summary=f"{partner.organisation.short_name} {verb}" + (f": {reason}" if reason else ""),
        fields={
            "confirmed_by": actor,
            "confirmed_at": timezone.now(),
            "decline_reason": "" if confirm else reason.strip(),
        },
        error=BidError,
    )
    bid_notify(
        bid=bid,
        programme=bid.round.programme_id,
        recipients=bid_editors(bid),
        event="partner_responded",
        context={
            **bid_facts(bid),
            "partner_name": partner.organisation.short_name,
            "response": verb,
            "reason": partner.decline_reason,
        },
        dedupe_key=f"partner_responded:{partner.pk}:{verb}:{partner.confirmed_at.timestamp():.6f}",
        url=bid_url(bid),
    )
    return partner


@transaction.atomic
def add_collaborator(*, bid: Bid, actor: User, user: User) -> None:
    bid = lock_editable(bid, actor)
    if not is_council_officer(user=user, organisation_id=bid.lead_id):
        raise BidError({"email": "Collaborators must be officers or signatories of the lead council"})
    bid.collaborators.add(user)
    audit_record(actor=actor, action="bid.collaborator_added", target=bid, summary=f"Added {user.email}")


@transaction.atomic
def remove_collaborator(*, bid: Bid, actor: User, user: User) -> None:
    bid = lock_editable(bid, actor)
    if not bid.collaborators.filter(pk=user.pk).exists():
        raise BidError("That person is not a collaborator on this bid.")
    bid.collaborators.remove(user)
    audit_record(actor=actor, action="bid.collaborator_removed", target=bid, summary=f"Removed {user.email}")
