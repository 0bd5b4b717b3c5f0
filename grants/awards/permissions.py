"""Who may see and change an award. One place, used by views, services, templates and tests.

A council sees its awards through the people who act for it, its officers and signatories
(`grants.people_selectors`): the lead council's may act, partner councils' read only. Someone
linked to a council without a council role sees nothing of its awards. Programme managers
manage the awards of their programmes; finance officers pay; administrators, finance officers
and board viewers see every award. Anyone else gets a 404.

An award from a bid is that bid's: whoever is barred from the bid (a conflict of interest, from
`applications.permissions.is_barred`) is refused by every check here, whatever other role they hold.
"""

from collections.abc import Iterable

from applications import permissions as bid_perms
from grants import permissions as gperms
from grants.awards.models import Award
from grants.models import User
from grants.people_selectors import acting_council_id, is_council_certifier, is_council_officer, is_council_signatory


def is_barred(user: User, award: Award) -> bool:
    """Barred from the award's bid; an award entered without a bid (historic) had no assessment,
    so no conflict. The bid is only loaded for someone a bar could apply to."""
    return award.bid_id is not None and bid_perms.may_be_barred(user) and bid_perms.is_barred(user, award.bid)


def who_may_hear(award: Award, users: Iterable[User]) -> list[User]:
    """These people, less anyone barred from the award's bid (a message is a route to it)."""
    users = list(users)
    if award.bid_id is None:
        return users
    return bid_perms.who_may_hear(award.bid, users)


def is_lead_member(user: User, award: Award) -> bool:
    """Acts for the lead council (an officer or signatory there)."""
    return is_council_officer(user=user, organisation_id=award.lead_id)


def is_partner_member(user: User, award: Award) -> bool:
    """Acts for one of the award's partner councils."""
    org = acting_council_id(user)
    return org is not None and award.partners.filter(pk=org).exists()


def is_staff_viewer(user: User, award: Award) -> bool:
    return user.is_authenticated and gperms.can_view_programme(user, award.round.programme)


def can_view(user: User, award: Award) -> bool:
    if not user.is_authenticated or is_barred(user, award):
        return False
    return is_lead_member(user, award) or is_staff_viewer(user, award) or is_partner_member(user, award)


def can_edit(user: User, award: Award) -> bool:
    """Update milestones, send returns, ask for variations: the lead council's officers and signatories."""
    return is_lead_member(user, award) and not is_barred(user, award)


def can_see_evidence(user: User, award: Award) -> bool:
    """Evidence files: the lead council's officers, the programme's managers and staff with a
    global view. Partner councils read the award but not the lead council's evidence."""
    return can_edit(user, award) or (is_staff_viewer(user, award) and not is_barred(user, award))


def can_accept(user: User, award: Award) -> bool:
    return is_council_signatory(user=user, organisation_id=award.lead_id) and not is_barred(user, award)


def can_certify(user: User, award: Award) -> bool:
    """Issue 17: certify the lead council's returns: its section 151 officer or delegate only."""
    return is_council_certifier(user=user, organisation_id=award.lead_id) and not is_barred(user, award)


def can_manage(user: User, award: Award) -> bool:
    return (
        user.is_authenticated
        and gperms.can_manage_programme(user, award.round.programme)
        and not is_barred(user, award)
    )


def can_pay(user: User) -> bool:
    return user.is_authenticated and gperms.is_finance_officer(user)


def can_view_portfolio(user: User) -> bool:
    return user.is_authenticated and (gperms.has_global_staff_view(user) or gperms.is_programme_manager(user))


def can_enter_historic(user: User) -> bool:
    """Enter an award made before the service: administrators, and managers (for their programmes)."""
    return user.is_authenticated and (gperms.is_administrator(user) or gperms.is_programme_manager(user))


# Issue 16, notes: internal notes and the contact log, for programme staff only.
def can_read_notes(user: User, award: Award) -> bool:
    """Programme staff who may see the award (not barred): never a council."""
    return is_staff_viewer(user, award) and not is_barred(user, award)


def can_add_note(user: User, award: Award) -> bool:
    """The programme's managers and administrators; finance officers too (notes on payments)."""
    return can_manage(user, award) or (can_pay(user) and not is_barred(user, award))


def can_log_contact(user: User, award: Award) -> bool:
    """Monitoring calls and meetings are the programme manager's (and administrators')."""
    return can_manage(user, award)


# Issue 17, standing partnerships ---------------------------------------------------------------


def can_list_partnerships(user: User) -> bool:
    """Whoever sees the award portfolio: each the partnerships of the programmes they see."""
    return can_view_portfolio(user)


def can_view_partnership(user: User, partnership) -> bool:
    """The programme's staff, and (read only) the officers of a council that is or was a member."""
    if not user.is_authenticated:
        return False
    if gperms.can_view_programme(user, partnership.programme):
        return True
    org = acting_council_id(user)
    return org is not None and partnership.members.filter(organisation_id=org).exists()


def can_manage_partnership(user: User, partnership) -> bool:
    return gperms.can_manage_programme(user, partnership.programme)


def can_form_partnership(user: User) -> bool:
    """Form a partnership: administrators, and managers (for their programmes)."""
    return user.is_authenticated and (gperms.is_administrator(user) or gperms.is_programme_manager(user))
