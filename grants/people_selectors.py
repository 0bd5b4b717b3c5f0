"""Who a council's officers and signatories are, and who manages a programme: one owner each.

Every email, reminder and permission that means "the council" or "the programme's managers"
asks here, so a rule about who counts changes in one place. A guard test
(tests/grants/test_people_owners.py) fails if app code filters on `org_role` or the programme
manager role anywhere else.

A council role is any `OrgRole` (officer, signatory or certifier). Someone employed by a council
without one, such as an assessor, acts for the funder, not for the council, so never hears
about its bids or awards. A deactivated account hears nothing.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import OrgRole, StaffRole, User

# The rule, once for the database and once for a user already loaded: keep the two together.
COUNCIL_ROLE = Q(is_active=True) & ~Q(org_role="")


def _holds_council_role(user: User) -> bool:
    return user.is_authenticated and user.is_active and bool(user.org_role)


def council_officers(*, organisation_ids: Iterable[int] | QuerySet) -> QuerySet[User]:
    """Active people acting for these councils: officers and signatories. Ordered as users are
    (by email); callers that need a stable order by creation add `.order_by("pk")`."""
    return User.objects.filter(COUNCIL_ROLE, organisation_id__in=organisation_ids)


def council_signatories(*, organisation_ids: Iterable[int] | QuerySet) -> QuerySet[User]:
    """The officers who may sign for their council, such as accepting an award's terms."""
    return council_officers(organisation_ids=organisation_ids).filter(org_role=OrgRole.SIGNATORY)


def council_certifiers(*, organisation_ids: Iterable[int] | QuerySet) -> QuerySet[User]:
    """The section 151 officers (or delegates) who certify their council's monitoring returns."""
    return council_officers(organisation_ids=organisation_ids).filter(org_role=OrgRole.CERTIFIER)


def is_council_officer(*, user: User, organisation_id: int | None) -> bool:
    """`council_officers` for one signed-in user, without a query (permissions ask on every page)."""
    return organisation_id is not None and _holds_council_role(user) and user.organisation_id == organisation_id


def acting_council_id(user: User) -> int | None:
    """The council this person acts for: their organisation, if they hold a council role there.
    Someone linked to a council without a role (an assessor it employs, say) acts for nobody."""
    org = getattr(user, "organisation_id", None) if user.is_authenticated else None
    return org if is_council_officer(user=user, organisation_id=org) else None


def is_council_signatory(*, user: User, organisation_id: int | None) -> bool:
    return is_council_officer(user=user, organisation_id=organisation_id) and user.org_role == OrgRole.SIGNATORY


def is_council_certifier(*, user: User, organisation_id: int | None) -> bool:
    return is_council_officer(user=user, organisation_id=organisation_id) and user.org_role == OrgRole.CERTIFIER


def programme_manager_roles(*, programme_id: int) -> QuerySet[StaffRole]:
    """Every grant of the manager role on this programme, active account or not: the programme
    page lists them so an administrator can revoke a role a departed manager still holds."""
    return StaffRole.objects.filter(role=StaffRole.Role.PROGRAMME_MANAGER, programme_id=programme_id)


def programme_managers(*, programme_id: int) -> QuerySet[User]:
    """Active people who manage this programme. Global staff roles (administrator, finance,
    board) do not count: they see every programme but are not told about each bid. A person
    holds the role once per programme (a unique constraint), so the join repeats no one and the
    result may be combined with other user querysets with `|`."""
    return User.objects.filter(
        is_active=True, staff_roles__role=StaffRole.Role.PROGRAMME_MANAGER, staff_roles__programme_id=programme_id
    )
