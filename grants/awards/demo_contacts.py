"""Issue 16 demo: the programme manager's record of Leeds's live Behavioural Insights phase 5 award,
written through the services staff use: an internal note on the award, one on its approved first
return (from the finance officer), a start-up meeting months ago and a monitoring phone call last
week with a follow-up date ahead. Councils never see any of it.

Idempotent: a note is found by its text, a contact by its award, kind and participants.
"""

from datetime import timedelta

from django.utils import timezone

from grants.models import Note, User
from grants.notes import add_note

from . import permissions as perms
from .models import Award, AwardStatus, ContactKind, ContactLogEntry
from .services.contacts import contact_log

AWARD_NOTE = (
    "Leeds asked whether it may move £2,000 from printing to text messages. Fine in principle: "
    "ask for a variation if the amount grows."
)
RETURN_NOTE = "First half paid on the approved return. The second payment waits for the second return."
# (kind, days ago, participants, agreed, follow-up in days from today or None)
CONTACTS = [
    (
        ContactKind.MEETING,
        120,
        "Alex Morgan (LGA); Ruth Bell and the revenues manager (Leeds); the Behavioural Insights Team's adviser",
        "Trial design agreed: two letters against the current one, 3,000 households each. Leeds to send the "
        "sample list before the first mailing.",
        None,
    ),
    (
        ContactKind.PHONE,
        6,
        "Alex Morgan (LGA); Ruth Bell (Leeds)",
        "Monitoring phone call: the first mailing went on time and response is ahead of the control group. "
        "The second return will add the sign-up rate by ward. Leeds to confirm the date of the second mailing.",
        21,
    ),
]


def seed(*, context: dict) -> None:
    people = context.get("people", {})
    manager, finance = people.get("programme.manager@lga.example.com"), people.get("finance@lga.example.com")
    award = Award.objects.filter(
        round=context.get("rounds", {}).get("bi-phase-5"), lead__code="LDS", status=AwardStatus.ACTIVE
    ).first()
    if award is None or manager is None or finance is None:
        return
    _note(award, manager, AWARD_NOTE, perms.can_add_note(manager, award))
    first = award.returns.filter(submitted_at__isnull=False).order_by("period__period_end").first()
    if first is not None:
        _note(first, finance, RETURN_NOTE, perms.can_add_note(finance, award))
    today = timezone.localdate()
    for kind, days_ago, participants, agreed, follow_up in CONTACTS:
        if ContactLogEntry.objects.filter(award=award, kind=kind, participants=participants).exists():
            continue
        contact_log(
            award=award,
            actor=manager,
            held_on=today - timedelta(days=days_ago),
            kind=kind,
            participants=participants,
            agreed=agreed,
            follow_up_by=today + timedelta(days=follow_up) if follow_up is not None else None,
        )


def _note(target, actor: User, text: str, may_add: bool) -> None:
    if not Note.objects.filter(object_id=target.pk, text=text).exists():
        add_note(target=target, actor=actor, text=text, may_add=may_add)
