"""The contact log of an award: a monitoring call or meeting, recorded by programme staff."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from grants.core.audit import audit_record
from grants.models import User

from .. import permissions as perms
from ..models import Award, ContactKind, ContactLogEntry
from .common import AwardError


@transaction.atomic
def contact_log(
    *,
    award: Award,
    actor: User,
    held_on: date,
    kind: str,
    participants: str,
    agreed: str,
    follow_up_by: date | None = None,
    today: date | None = None,
) -> ContactLogEntry:
    """Log a contact that has happened: not one in the future (the server's London date decides),
    and a follow-up date, if any, not before the contact itself."""
    if not perms.can_log_contact(actor, award):
        raise AwardError("You cannot log contacts on this award")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if held_on > today:
        errors["held_on"] = "The date of the contact must be today or in the past"
    if kind not in ContactKind.values:
        errors["kind"] = "Choose what kind of contact it was"
    if not participants.strip():
        errors["participants"] = "Enter who took part"
    if not agreed.strip():
        errors["agreed"] = "Enter what was agreed"
    if follow_up_by and follow_up_by < held_on:
        errors["follow_up_by"] = "The follow-up date must be on or after the date of the contact"
    if errors:
        raise AwardError(errors)
    entry = ContactLogEntry.objects.create(
        award=award,
        held_on=held_on,
        kind=kind,
        participants=participants.strip(),
        agreed=agreed.strip(),
        follow_up_by=follow_up_by,
        logged_by=actor,
    )
    # Recorded against the entry, not the award, so the award's history (which councils read)
    # does not list it.
    audit_record(
        actor=actor,
        action="contact.log",
        target=entry,
        summary=f"{entry.get_kind_display()} logged on award {award.reference}",
        data={"award_id": award.pk},
    )
    return entry


@transaction.atomic
def contact_followed_up(*, entry: ContactLogEntry, actor: User, now=None) -> ContactLogEntry:
    """Mark a contact's follow-up done, so it leaves the follow-ups due. Only an entry with a
    follow-up date, once: marking it twice (two tabs) changes nothing and says so."""
    entry = ContactLogEntry.objects.select_for_update().select_related("award__round__programme").get(pk=entry.pk)
    if not perms.can_log_contact(actor, entry.award):
        raise AwardError("You cannot record follow-ups on this award")
    if entry.follow_up_by is None:
        raise AwardError("This contact has no follow-up to record")
    if entry.followed_up_at is not None:
        raise AwardError("This follow-up was already recorded as done")
    entry.followed_up_at = now or timezone.now()
    entry.save(update_fields=["followed_up_at"])
    audit_record(
        actor=actor,
        action="contact.followed_up",
        target=entry,
        summary=f"Follow-up done for the {entry.get_kind_display().lower()} on award {entry.award.reference}",
        data={"award_id": entry.award_id},
    )
    return entry
