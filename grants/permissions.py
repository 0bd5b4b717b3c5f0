"""Who may do what. Plain functions used by views, templates and tests alike.

Roles are cached on the user object for the request so a page pays one query for them.
"""

from django.db.models import CharField, IntegerField, Value
from django.http import Http404

from .models import Programme, StaffRole, User

R = StaffRole.Role


PANEL = "__panel__"


def _load(user: User) -> None:
    """Staff roles and panel membership in one query: every page asks both (the MFA rule needs
    them), and a council officer has neither."""
    panels = user.panel_memberships.model.objects.filter(user=user).values_list(
        Value(PANEL, output_field=CharField()), Value(None, output_field=IntegerField())
    )
    rows = set(StaffRole.objects.filter(user=user).values_list("role", "programme_id").union(panels, all=True))
    user._grantbench_panel = (PANEL, None) in rows
    user._grantbench_roles = {row for row in rows if row[0] != PANEL}


def _roles(user: User) -> set[tuple[str, int | None]]:
    if not user.is_authenticated:
        return set()
    if getattr(user, "_grantbench_roles", None) is None:
        _load(user)
    return user._grantbench_roles


def is_administrator(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or any(r == R.ADMINISTRATOR for r, _ in _roles(user)))


def is_finance_officer(user: User) -> bool:
    return any(r == R.FINANCE_OFFICER for r, _ in _roles(user))


def is_board_viewer(user: User) -> bool:
    return any(r == R.BOARD_VIEWER for r, _ in _roles(user))


def managed_programme_ids(user: User) -> set[int]:
    return {p for r, p in _roles(user) if r == R.PROGRAMME_MANAGER and p}


def is_programme_manager(user: User, programme: Programme | int | None = None) -> bool:
    ids = managed_programme_ids(user)
    if programme is None:
        return bool(ids)
    pk = programme if isinstance(programme, int) else programme.pk
    return pk in ids


def is_panel_member(user: User) -> bool:
    # Panels belong to scoring; reach them by the reverse name to keep grants import-free.
    if not user.is_authenticated:
        return False
    if getattr(user, "_grantbench_panel", None) is None:
        _load(user)
    return user._grantbench_panel


def is_staff_user(user: User) -> bool:
    """Funder-side staff: anyone holding a staff role."""
    return is_administrator(user) or bool(_roles(user))


def has_global_staff_view(user: User) -> bool:
    """Administrators, finance officers and board viewers see every programme."""
    return is_administrator(user) or is_finance_officer(user) or is_board_viewer(user)


def requires_mfa(user: User) -> bool:
    return user.is_authenticated and (is_staff_user(user) or is_panel_member(user))


def mfa_enabled(user: User) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


def can_view_programme(user: User, programme: Programme) -> bool:
    return has_global_staff_view(user) or is_programme_manager(user, programme)


def can_manage_programme(user: User, programme: Programme) -> bool:
    return is_administrator(user) or is_programme_manager(user, programme)


def can_create_programme(user: User) -> bool:
    """Programme managers start new programmes (and manage the ones they start)."""
    return is_administrator(user) or is_programme_manager(user)


def can_manage_people(user: User) -> bool:
    """Only administrators give people organisations and staff roles."""
    return is_administrator(user)


def can_add_organisation(user: User) -> bool:
    return is_administrator(user) or is_programme_manager(user)


def get_or_404(check: bool) -> None:
    """A page the user may not see answers 404, so its existence is not disclosed."""
    if not check:
        raise Http404
