"""The council dashboard's bids, as the Paginator pages them (issue 19).

The same bids as `selectors.bids_for_council`, in the same order with the same annotations, but
read in two queries rather than three, and only the columns the page uses: one query lists the
ids of this council's bids as lead and as partner (with its partner status, read there rather
than by a subquery per row), so the count is known without a COUNT query; the second reads one
page of them. tests/applications/test_dashboard_bids.py holds it to `bids_for_council`, guards
and all, for every kind of person."""

from django.db.models import CharField, Value

from grants.models import User
from grants.people_selectors import acting_council_id

from .models import Bid, BidPartner
from .permissions import barred_bid_ids
from .selectors import listed_bids

# What the dashboard's rows and `next_action` read of a bid and its round; nothing else is loaded.
# A row reading another field costs a query per bid (tests/applications/test_dashboard.py counts).
DASHBOARD_FIELDS = (
    *("round", "lead", "title", "reference", "status", "stage", "extended_deadline"),
    *("round__name", "round__closes_at", "round__eoi_closes_at"),
)


class DashboardBids:
    """Sized and sliceable, as `Paginator` wants: `len()` is the number of bids listed, and a
    slice is that page's `Bid` rows, newest first, each with `my_partner_status` (None as lead)."""

    def __init__(self, *, user: User) -> None:
        self.partner_status: dict[int, str] = {}
        self.ids: set[int] = set()
        org = acting_council_id(user)
        if org is None:  # no council role: no bids, and no query
            return
        led = Bid.objects.filter(lead_id=org).order_by().values_list("pk", Value(None, output_field=CharField()))
        partnered = BidPartner.objects.filter(organisation_id=org).order_by().values_list("bid_id", "status")
        for pk, status in partnered.union(led, all=True):
            self.ids.add(pk)
            if status is not None:
                self.partner_status[pk] = status
        self.ids -= barred_bid_ids(user)  # a conflict of interest bars the bid from every list

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, page: slice) -> list[Bid]:
        if not self.ids:
            return []
        bids = listed_bids(Bid.objects.filter(pk__in=self.ids)).only(*DASHBOARD_FIELDS)
        rows = list(bids[page])
        for bid in rows:
            bid.my_partner_status = self.partner_status.get(bid.pk)
        return rows
