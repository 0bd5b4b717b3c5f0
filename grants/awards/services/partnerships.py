"""Writes for standing partnerships: forming one, members joining and leaving, and awards made
to one.

An award to a partnership has the partnership's lead as its lead and the members on the award
date as its partners. This module is the one writer of that pair (`partnership_awards_sync`): linking an
award and every change of membership re-derive it, so a membership recorded late (a council
that joined before an award was made, entered afterwards) still shows on the award, its offer
letter and its open data.
"""

from datetime import date

from django.db import transaction

from grants import permissions as gperms
from grants.awards.models import Award
from grants.core.audit import audit_record
from grants.models import Organisation, Partnership, PartnershipMember, Programme

from .common import AwardError


def _check(actor, programme: Programme) -> None:
    """`actor` None is the system (the demo seed); a person must manage the programme."""
    if actor is not None and not gperms.can_manage_programme(actor, programme):
        raise AwardError("Only the programme's manager or an administrator can change its partnerships")


def partnership_awards_sync(partnership: Partnership) -> None:
    """Each of the partnership's awards: lead = the partnership's lead, partners = the other
    members on the award date."""
    members = list(partnership.members.values_list("organisation_id", "joined_on", "left_on"))
    for award in Award.objects.filter(partnership=partnership):
        day = award.award_date
        partners = {
            org
            for org, joined, left in members
            if joined <= day and (left is None or left > day) and org != partnership.lead_id
        }
        if award.lead_id != partnership.lead_id:
            award.lead_id = partnership.lead_id
            award.save(update_fields=["lead", "updated_at"])
        award.partners.set(sorted(partners))


@transaction.atomic
def partnership_create(
    *,
    programme: Programme,
    name: str,
    lead: Organisation,
    formed_on: date,
    actor,
    code: str = "",
    members: tuple[Organisation, ...] = (),
) -> Partnership:
    """A new partnership: its lead and the given councils are members from `formed_on`."""
    _check(actor, programme)
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the partnership's name"
    elif Partnership.objects.filter(programme=programme, name__iexact=name.strip()).exists():
        errors["name"] = f"{programme.name} already has a partnership called {name.strip()}"
    if not lead.is_council:
        errors["lead"] = "The lead must be a council"
    others = [org.short_name for org in members if not org.is_council]
    if others:
        errors["members"] = (
            f"Only a council can be a member: {', '.join(others)} {'is' if len(others) == 1 else 'are'} not"
        )
    if errors:
        raise AwardError(errors)
    partnership = Partnership.objects.create(programme=programme, name=name.strip(), code=code.strip(), lead=lead)
    for org in {lead, *members}:
        PartnershipMember.objects.create(partnership=partnership, organisation=org, joined_on=formed_on)
    audit_record(actor=actor, action="partnership.created", target=partnership, summary=f"Formed {partnership}")
    return partnership


@transaction.atomic
def partnership_member_add(
    *, partnership: Partnership, organisation: Organisation | None, joined_on: date | None, actor
) -> PartnershipMember:
    """A council joins on a date. Refused if it is a member then already (memberships of one
    council never overlap, so it is counted once on any day)."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    _check(actor, partnership.programme)
    errors = {}
    if organisation is None:
        errors["organisation"] = "Choose the council that joined"
    elif not organisation.is_council:
        errors["organisation"] = "Only a council can be a member"
    if joined_on is None:
        errors["joined_on"] = "Enter the date the council joined"
    if not errors:
        overlap = partnership.members.filter(organisation=organisation).exclude(left_on__lte=joined_on)
        if overlap.exists():
            errors["organisation"] = f"{organisation} is a member on {joined_on:%-d %B %Y} already"
    if errors:
        raise AwardError(errors)
    member = PartnershipMember.objects.create(partnership=partnership, organisation=organisation, joined_on=joined_on)
    audit_record(
        actor=actor,
        action="partnership.member_added",
        target=partnership,
        summary=f"{organisation} joined on {joined_on:%-d %B %Y}",
        data={"organisation": organisation.pk, "joined_on": str(joined_on)},
    )
    partnership_awards_sync(partnership)
    return member


@transaction.atomic
def partnership_member_leave(*, member: PartnershipMember, left_on: date | None, actor) -> PartnershipMember:
    """Record the first day a council is no longer a member. The lead council stays a member."""
    partnership = Partnership.objects.select_for_update().get(pk=member.partnership_id)
    member = PartnershipMember.objects.select_for_update().get(pk=member.pk)
    _check(actor, partnership.programme)
    if member.left_on is not None:
        raise AwardError(f"{member.organisation} left on {member.left_on:%-d %B %Y} already")
    if member.organisation_id == partnership.lead_id:
        raise AwardError("The lead council cannot leave its partnership")
    if left_on is None:
        raise AwardError({"left_on": "Enter the date the council left"})
    if left_on <= member.joined_on:
        raise AwardError({"left_on": f"The date it left must be after it joined ({member.joined_on:%-d %B %Y})"})
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    audit_record(
        actor=actor,
        action="partnership.member_left",
        target=partnership,
        summary=f"{member.organisation} left on {left_on:%-d %B %Y}",
        data={"organisation": member.organisation_id, "left_on": str(left_on)},
    )
    partnership_awards_sync(partnership)
    return member


@transaction.atomic
def award_partnership_set(*, award: Award, partnership: Partnership, actor) -> Award:
    """Make the award an award to the partnership: its lead and partners follow the membership."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    _check(actor, award.round.programme)
    if partnership.programme_id != award.round.programme_id:
        raise AwardError({"partnership": f"{partnership} is a partnership of another programme"})
    award.partnership = partnership
    award.save(update_fields=["partnership", "updated_at"])
    partnership_awards_sync(partnership)
    audit_record(actor=actor, action="award.partnership", target=award, summary=f"Awarded to {partnership}")
    award.refresh_from_db()
    return award
