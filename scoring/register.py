"""The round's register of interests: what panel members declared, and the automatic conflicts
(their own organisation leads or partners a bid), so the register shows every reason a member
is kept away from a bid. Four queries whatever the size of the round."""

from dataclasses import dataclass
from datetime import datetime

from grants.models import Round, User

from .models import Interest, PanelMember
from .selectors import live_bids

HEADER = ["Panel member", "Email", "Interest in", "Nature", "Declared at", "Kind"]


@dataclass
class RegisterRow:
    user: User
    about: str
    nature: str
    declared_at: datetime | None  # None for an automatic conflict
    automatic: bool
    bid_id: int | None = None  # the bid it names, so a viewer barred from the bid is not shown it

    @property
    def kind(self) -> str:
        return "Automatic" if self.automatic else "Declared"


def _bid_label(bid) -> str:
    return f"Bid {bid.reference} ({bid.lead.short_name})"


def _automatic(round: Round) -> list[RegisterRow]:
    from applications.models import BidPartner, PartnerStatus

    members = list(
        PanelMember.objects.filter(panel__round=round, user__organisation__isnull=False).select_related(
            "user", "user__organisation"
        )
    )
    by_org: dict[int, list[User]] = {}
    for m in members:
        by_org.setdefault(m.user.organisation_id, []).append(m.user)
    if not by_org:
        return []
    bids = live_bids(round)
    rows = []
    for bid in bids.filter(lead_id__in=by_org).select_related("lead").order_by("reference", "pk"):
        for user in by_org[bid.lead_id]:
            nature = f"Automatic: {user.organisation.short_name} leads this bid"
            rows.append(RegisterRow(user, _bid_label(bid), nature, None, True, bid.pk))
    partners = (
        BidPartner.objects.filter(bid__in=bids, organisation_id__in=by_org)
        .exclude(status=PartnerStatus.DECLINED)
        .select_related("bid", "bid__lead")
        .order_by("bid__reference", "bid_id")
    )
    for p in partners:
        for user in by_org[p.organisation_id]:
            nature = f"Automatic: {user.organisation.short_name} is a partner on this bid"
            rows.append(RegisterRow(user, _bid_label(p.bid), nature, None, True, p.bid_id))
    return rows


def interests_register(round: Round) -> list[RegisterRow]:
    declared = [
        RegisterRow(
            i.user,
            i.organisation.short_name if i.organisation else _bid_label(i.bid),
            i.nature,
            i.declared_at,
            False,
            i.bid_id,
        )
        for i in Interest.objects.filter(round=round)
        .select_related("user", "organisation", "bid", "bid__lead")
        .order_by("user__email", "declared_at", "pk")
    ]
    rows = declared + _automatic(round)
    rows.sort(key=lambda r: (r.user.email.lower(), r.automatic))  # stable: each part keeps its order
    return rows


def register_cells(row: RegisterRow) -> list:
    return [row.user.get_full_name(), row.user.email, row.about, row.nature, row.declared_at or "", row.kind]
