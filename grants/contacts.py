"""Who to ask: the one rule for the contact shown on round pages, help pages and emails.

A round may name its own contact (a panel secretary, another team); otherwise its programme's
applies; otherwise the service-wide one from settings (GRANTBENCH_CONTACT_*). Name and email go
together: a round that names only an email keeps the programme's or the service's name.
"""

from dataclasses import dataclass

from django.conf import settings

from .models import Programme, Round


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str = ""


def service_contact() -> Contact:
    """The service-wide contact: the funder's grants team."""
    return Contact(
        name=settings.GRANTBENCH_CONTACT_NAME,
        email=settings.GRANTBENCH_CONTACT_EMAIL,
        phone=settings.GRANTBENCH_CONTACT_PHONE,
    )


def contact_for(*, programme: Programme | None = None, round: Round | None = None) -> Contact:
    """The contact for a round (its own, else its programme's, else the service's), or for a
    programme. Reads no database when `round.programme` is already loaded."""
    if round is not None and programme is None:
        programme = round.programme
    fallback = service_contact()
    sources = [s for s in (round, programme) if s is not None and s.contact_email]
    if not sources:
        return fallback
    names = [s.contact_name for s in (round, programme) if s is not None and s.contact_name]
    return Contact(name=sources[0].contact_name or next(iter(names), fallback.name), email=sources[0].contact_email)


def contact_for_message(*, programme_id: int | None, round_name: str = "") -> Contact:
    """The contact for an email about a programme and, when the message names one, its round
    (events carry the round's name, and a programme's round names are what its people read)."""
    if programme_id is None:
        return service_contact()
    round = None
    if round_name:
        round = Round.objects.select_related("programme").filter(programme_id=programme_id, name=round_name).first()
    if round is not None:
        return contact_for(round=round)
    return contact_for(programme=Programme.objects.filter(pk=programme_id).first())
