"""Writes for people: which organisation someone works for and which staff roles they hold.

Administrators make these changes on the staff pages; each one is audited against the person,
so who gave whom access to which programme is always on record. Panel membership belongs to
assessment (scoring), not here.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants.core.audit import audit_record

from .models import Organisation, OrgRole, Programme, StaffRole, User

R = StaffRole.Role


def _role_label(role: str, programme: Programme | None) -> str:
    label = R(role).label
    return f"{label} of {programme.name}" if programme else label


@transaction.atomic
def user_update(
    *, actor: User, user: User, organisation: Organisation | None, org_role: str, full_name: str | None = None
) -> User:
    """Set the organisation someone works for and their role in it."""
    if org_role and org_role not in OrgRole.values:
        raise ValidationError({"org_role": "Select a role from the list"})
    if org_role and organisation is None:
        raise ValidationError({"organisation": "Select the organisation this person works for"})
    if organisation is not None and organisation.end_date is not None and organisation.pk != user.organisation_id:
        raise ValidationError({"organisation": f"{organisation.short_name} no longer exists: choose a current one"})
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = {}
    if user.organisation_id != (organisation.pk if organisation else None):
        changes["organisation"] = [str(user.organisation or ""), str(organisation or "")]
    if user.org_role != org_role:
        changes["org_role"] = [user.org_role, org_role]
    if full_name is not None and full_name.strip() != user.full_name:
        changes["full_name"] = [user.full_name, full_name.strip()]
        user.full_name = full_name.strip()
    user.organisation, user.org_role = organisation, org_role
    user.save(update_fields=["organisation", "org_role", "full_name"])
    if changes:
        audit_record(
            actor=actor, action="user.update", target=user, summary=f"Changed {user.email}", data={"changes": changes}
        )
    return user


@transaction.atomic
def staff_role_grant(*, actor: User, user: User, role: str, programme: Programme | None = None) -> StaffRole:
    """Give someone a staff role (programme manager of one programme, or a service-wide role).
    Granting a role they already hold changes nothing and records nothing."""
    if role not in R.values:
        raise ValidationError({"role": "Select a role from the list"})
    if (role == R.PROGRAMME_MANAGER) != (programme is not None):
        raise ValidationError({"programme": "Choose a programme for a programme manager, and only for one"})
    existing = StaffRole.objects.filter(user=user, role=role, programme=programme).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            granted = StaffRole.objects.create(user=user, role=role, programme=programme)
    except IntegrityError:  # granted at the same moment by someone else
        return StaffRole.objects.get(user=user, role=role, programme=programme)
    _role_changed(actor=actor, user=user, role=role, programme=programme, granted=True)
    return granted


@transaction.atomic
def staff_role_revoke(*, actor: User, user: User, role: str, programme: Programme | None = None) -> bool:
    """Take a staff role away; False if they did not hold it.

    Administrators cannot remove their own administrator role, so the service is never left
    without someone able to give it back by accident.
    """
    if role == R.ADMINISTRATOR and user.pk == actor.pk:
        raise ValidationError({"role": "You cannot remove your own administrator role"})
    deleted, _ = StaffRole.objects.filter(user=user, role=role, programme=programme).delete()
    if not deleted:
        return False
    _role_changed(actor=actor, user=user, role=role, programme=programme, granted=False)
    return True


def _role_changed(*, actor: User, user: User, role: str, programme: Programme | None, granted: bool) -> None:
    """Granting and revoking are recorded alike, against the person, so their history reads as
    one list; and the roles cached on them are dropped so the change counts at once."""
    audit_record(
        actor=actor,
        action="staff_role.grant" if granted else "staff_role.revoke",
        target=user,
        summary=f"{user.email} {'is now' if granted else 'is no longer'} {_role_label(role, programme)}",
        data={"role": role, "programme": programme.pk if programme else None},
    )
    _forget_cached_roles(user)


def _forget_cached_roles(user: User) -> None:
    user.__dict__.pop("_grantbench_roles", None)
    user.__dict__.pop("_grantbench_panel", None)
