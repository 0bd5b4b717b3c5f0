"""Who sits on a round's panel. Managers run this on the service, not in the Django admin."""

from django.db import transaction

from grants.core.audit import audit_record
from grants.core.words import counted
from grants.models import Round, User

from ..models import Assignment, PanelMember
from ..permissions import panel_for
from .common import AssessmentError


@transaction.atomic
def panel_member_add(*, round: Round, email: str, is_chair: bool, actor: User) -> PanelMember:
    """Add an existing account; they must set up MFA before they see any bid (the middleware)."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        raise AssessmentError({"email": "No one has an account with that email address. Ask them to create one first."})
    panel = panel_for(round)
    if PanelMember.objects.filter(panel=panel, user=user).exists():
        raise AssessmentError({"email": f"{user} is already on this panel"})
    if is_chair:
        PanelMember.objects.filter(panel=panel, is_chair=True).update(is_chair=False)
    member = PanelMember.objects.create(panel=panel, user=user, is_chair=is_chair)
    audit_record(
        actor=actor,
        action="panel.member_add",
        target=round,
        summary=f"Added {user} to the panel{' as chair' if is_chair else ''}",
    )
    return member


@transaction.atomic
def panel_chair_set(*, member: PanelMember, actor: User) -> PanelMember:
    PanelMember.objects.filter(panel=member.panel, is_chair=True).exclude(pk=member.pk).update(is_chair=False)
    member.is_chair = True
    member.save(update_fields=["is_chair"])
    audit_record(
        actor=actor, action="panel.chair_set", target=member.panel.round, summary=f"{member.user} is now chair"
    )
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, actor: User) -> None:
    """Refused while they hold live assignments: withdraw those first, so no bid loses an assessor silently."""
    live = Assignment.objects.filter(
        bid__round=member.panel.round, assessor=member.user, withdrawn_at__isnull=True
    ).count()
    if live:
        raise AssessmentError(
            f"{member.user} still has {counted(live, 'bid')} to assess. Withdraw those assignments first."
        )
    round = member.panel.round
    member.delete()
    audit_record(
        actor=actor, action="panel.member_remove", target=round, summary=f"Removed {member.user} from the panel"
    )
