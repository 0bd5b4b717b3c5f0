"""Who may see and change an award. One place, used by views, services, templates and tests.

A council sees its awards: the lead council's members may act, partner councils read only.
Programme managers manage the awards of their programmes; finance officers pay; administrators,
finance officers and board viewers see every award. Anyone else gets a 404.
"""

from grants import permissions as gperms
from grants.awards.models import Award
from grants.models import User
from grants.people_selectors import is_council_officer, is_council_signatory


def _org_id(user: User) -> int | None:
    return getattr(user, "organisation_id", None) if user.is_authenticated else None


def is_lead_member(user: User, award: Award) -> bool:
    return _org_id(user) is not None and _org_id(user) == award.lead_id


def is_partner_member(user: User, award: Award) -> bool:
    org = _org_id(user)
    return org is not None and award.partners.filter(pk=org).exists()


def is_staff_viewer(user: User, award: Award) -> bool:
    return user.is_authenticated and gperms.can_view_programme(user, award.round.programme)


def can_view(user: User, award: Award) -> bool:
    if not user.is_authenticated:
        return False
    return is_lead_member(user, award) or is_staff_viewer(user, award) or is_partner_member(user, award)


def can_edit(user: User, award: Award) -> bool:
    """Update milestones, send returns, ask for variations: the lead council's officers and signatories."""
    return is_council_officer(user=user, organisation_id=award.lead_id)


def can_see_evidence(user: User, award: Award) -> bool:
    """Evidence files: the lead council's officers, the programme's managers and staff with a
    global view. Partner councils read the award but not the lead council's evidence."""
    return can_edit(user, award) or is_staff_viewer(user, award)


def can_accept(user: User, award: Award) -> bool:
    return is_council_signatory(user=user, organisation_id=award.lead_id)


def can_manage(user: User, award: Award) -> bool:
    return user.is_authenticated and gperms.can_manage_programme(user, award.round.programme)


def can_pay(user: User) -> bool:
    return user.is_authenticated and gperms.is_finance_officer(user)


def can_view_portfolio(user: User) -> bool:
    return user.is_authenticated and (gperms.has_global_staff_view(user) or gperms.is_programme_manager(user))


def can_enter_historic(user: User) -> bool:
    """Enter an award made before the service: administrators, and managers (for their programmes)."""
    return user.is_authenticated and (gperms.is_administrator(user) or gperms.is_programme_manager(user))
