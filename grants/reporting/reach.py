"""Reach: the distinct councils involved in a programme as at a date, the one owner of that rule
(the board report, the dashboard and programme commitments all ask here).

A council is involved on a day when, among the programme's awards made by then that stand
(`grants.awards.selectors.STANDING`, the awards the board counts as made: offered, accepted,
active, completed or terminated; never declined or withdrawn):
- it leads one, or
- it is a partner of one made to a joint bid (not to a partnership), or
- it is a member on that day of a standing partnership that has one (membership over time:
  a council that left before the day, or joined after it, is not counted, whatever the award's
  partners were on its own date).
Each council is counted once, whatever the number of awards it is part of; only councils count
(a police force partner does not). England's councils are the current English councils in the
register on that day (`england_councils`), so the share follows reorganisations.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from grants.awards.models import Award
from grants.awards.selectors import STANDING
from grants.models import Organisation, PartnershipMember
from grants.models.organisations import COUNCIL_KINDS


@dataclass(frozen=True)
class Reach:
    councils: int
    partnerships: int
    england_councils: int
    share_percent: Decimal  # councils involved as a percentage of England's, one decimal place


def england_councils(as_at: date) -> int:
    """English councils current on the day. The register's end date is the council's last day
    (31 March for the 2019 and 2020 reorganisations), so a quarter end never counts a council
    and its successor, nor neither: 353 in 2018, 317 today."""
    current = (Q(start_date__isnull=True) | Q(start_date__lte=as_at)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=as_at)
    )
    return Organisation.objects.councils().filter(current, nation="England").count()


def _involved(awards: QuerySet[Award], as_at: date, group: str | None):
    """(group, council id) and (group, partnership id) pairs, in three queries. `group` is the
    award's field to group by (for example "round__programme"), or None for one group."""
    made = awards.filter(status__in=STANDING, award_date__lte=as_at).order_by()
    councils = {"kind__in": COUNCIL_KINDS}

    def key(prefix: str, row: dict):
        return row[prefix + group] if group else None

    leads = made.filter(**{f"lead__{k}": v for k, v in councils.items()})
    pairs = {(key("", r), r["lead_id"]) for r in leads.values(*([group] if group else []), "lead_id").distinct()}
    joint = Award.partners.through.objects.filter(
        award__in=made.filter(partnership__isnull=True).values("pk"),
        **{f"organisation__{k}": v for k, v in councils.items()},
    )
    fields = [f"award__{group}"] if group else []
    pairs |= {(key("award__", r), r["organisation_id"]) for r in joint.values(*fields, "organisation_id").distinct()}
    partnerships = {
        (key("", r), r["partnership_id"])
        for r in made.filter(partnership__isnull=False).values(*([group] if group else []), "partnership_id").distinct()
    }
    members = PartnershipMember.objects.on(as_at).filter(
        partnership__in=sorted({p for _, p in partnerships}), **{f"organisation__{k}": v for k, v in councils.items()}
    )
    in_group = defaultdict(set)
    for g, p in partnerships:
        in_group[p].add(g)
    for partnership_id, org in members.values_list("partnership_id", "organisation_id").distinct():
        pairs |= {(g, org) for g in in_group[partnership_id]}
    return pairs, partnerships


def _share(councils: int, total: int) -> Decimal:
    if not total:
        return Decimal("0.0")
    return (Decimal(councils) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def councils_reached(programme_ids: list[int], as_at: date) -> dict[int, Reach]:
    """Each programme's reach on the day, in five queries whatever the number of awards."""
    awards = Award.objects.filter(round__programme__in=list(programme_ids))
    pairs, partnerships = _involved(awards, as_at, "round__programme")
    total = england_councils(as_at)
    councils, groups = Counter(g for g, _ in pairs), Counter(g for g, _ in partnerships)
    return {
        pk: Reach(councils[pk], groups[pk], england_councils=total, share_percent=_share(councils[pk], total))
        for pk in programme_ids
    }


def councils_involved(awards: QuerySet[Award], as_at: date) -> int:
    """Distinct councils involved in a set of awards (the dashboard's scope) on the day."""
    pairs, _ = _involved(awards, as_at, None)
    return len(pairs)
