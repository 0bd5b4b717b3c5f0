"""The board report's benefits after closure (issue 17, item 4): per programme, the benefits
projected against those realised so far, by kind (savings, income generated, costs avoided), and
per round how many benefits returns were due by the date, sent by then, and overdue.

As at a date: realised counts returns for a year that had ended and that had been sent by then
(sent, sent back for changes or approved now: the monitoring returns' rule); projected counts the
projections of awards made by then that stand (not declined, withdrawn or terminated). Two
queries whatever the number of awards or programmes.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from grants.awards.models import AwardStatus, BenefitsProjection, BenefitsReturn
from grants.awards.models.benefits import BENEFIT_KINDS, BENEFIT_LABELS
from grants.awards.selectors import REPORTED
from grants.core.dates import end_of_day

from .board_sections import BoardSection, Column

ZERO = Decimal("0.00")
STANDING = (AwardStatus.OFFERED, AwardStatus.ACCEPTED, AwardStatus.ACTIVE, AwardStatus.COMPLETED)
KIND_COLUMNS = [
    Column("benefit", "Benefit"),
    Column("projected", "Projected", "pounds"),
    Column("realised", "Realised to date", "pounds"),
    Column("share", "Realised of projected", "percent"),
]
RETURN_COLUMNS = [
    Column("round", "Round"),
    Column("years", "Years of benefits returns", "count"),
    Column("due", "Returns due by then", "count"),
    Column("sent", "Sent by then", "count"),
    Column("overdue", "Overdue", "count"),
]


def _share(realised: Decimal, projected: Decimal) -> Decimal | None:
    return (realised * 100 / projected).quantize(Decimal("0.1")) if projected else None


def board_benefits(programme_ids: list[int], as_at: date) -> dict[int, list[BoardSection]]:
    """{programme id: [benefits by kind, benefits returns by round]} for programmes with any."""
    projected = (
        BenefitsProjection.objects.filter(
            award__round__programme_id__in=programme_ids, award__award_date__lte=as_at, award__status__in=STANDING
        )
        .values(p=F("award__round__programme_id"))
        .annotate(**{k: Sum(k) for k in BENEFIT_KINDS})
        .order_by()
    )
    counted = Q(status__in=REPORTED, period_end__lt=as_at, submitted_at__lt=end_of_day(as_at))
    due = Q(due_on__lte=as_at)
    unsent = Q(submitted_at__isnull=True) | Q(submitted_at__gte=end_of_day(as_at))
    returns = (
        BenefitsReturn.objects.filter(award__round__programme_id__in=programme_ids, period_start__lte=as_at)
        .values(p=F("award__round__programme_id"), r=F("award__round_id"), name=F("award__round__name"))
        .annotate(
            years=F("award__round__benefits_years"),
            **{k: Sum(k, filter=counted) for k in BENEFIT_KINDS},
            due=Count("pk", filter=due),
            sent=Count("pk", filter=due & counted),
            overdue=Count("pk", filter=Q(due_on__lt=as_at) & unsent),
        )
        .order_by("p", "name", "r")
    )
    plans: dict[int, dict[str, Decimal]] = {row["p"]: row for row in projected}
    realised: dict[int, dict[str, Decimal]] = {}
    by_round: dict[int, list[list]] = {}
    for row in returns:
        sums = realised.setdefault(row["p"], dict.fromkeys(BENEFIT_KINDS, ZERO))
        for k in BENEFIT_KINDS:
            sums[k] += row[k] or ZERO
        by_round.setdefault(row["p"], []).append([row["name"], row["years"], row["due"], row["sent"], row["overdue"]])
    out: dict[int, list[BoardSection]] = {}
    for pid in sorted(set(plans) | set(realised)):
        plan, got = plans.get(pid, {}), realised.get(pid, dict.fromkeys(BENEFIT_KINDS, ZERO))
        rows = []
        for k in BENEFIT_KINDS:
            p, r = plan.get(k) or ZERO, got[k]
            rows.append([BENEFIT_LABELS[k], p, r, _share(r, p)])
        total_p, total_r = sum((row[1] for row in rows), ZERO), sum((row[2] for row in rows), ZERO)
        rows.append(["Total", total_p, total_r, _share(total_r, total_p)])
        sections = [
            BoardSection(
                key="benefits",
                title="Benefits after the projects",
                columns=KIND_COLUMNS,
                rows=rows,
                note="Realised: the benefits returns sent by the date, for years that had ended. "
                "Projected: over all the years of benefits returns.",
            )
        ]
        if pid in by_round:
            sections.append(
                BoardSection(
                    key="benefits_returns",
                    title="Benefits returns",
                    columns=RETURN_COLUMNS,
                    rows=by_round[pid],
                    note="Overdue: past its due date and not sent by the date.",
                )
            )
        out[pid] = sections
    return out
