"""Historic awards from the productivity-programme reports, with returns carrying their outputs.

Idempotent: awards are found by reference, returns by (award, period), values by output.
Amounts and outputs the reports quote are used as quoted; where a report gives none (the
Channel Shift councils and amounts, BI phase 3 amounts, the OPE phase 7 partnerships) the
figures below are illustrative and say so in the award's scope.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from grants.awards.models import (
    Award,
    AwardStatus,
    FundReturn,
    MonitoringReturn,
    OutputTarget,
    OutputValue,
    PaymentTranche,
    Rag,
    ReturnPeriod,
    ReturnStatus,
    RoundOutput,
    TrancheStatus,
)
from grants.awards.models.monitoring import OUTPUT_UNITS
from grants.models import Organisation

from .services import award_create_historic, return_schedule_default

D = Decimal
C = AwardStatus.COMPLETED

# (round slug, reference, lead code, partner codes, title, amount, status, outputs {kind: value}, rag, commentary)
AWARDS = [
    (
        "bi-phase-1",
        "BI1-000001",
        "LIV",
        [],
        "Reducing sugar consumption",
        "50000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-1",
        "BI1-000002",
        "LIN",
        [],
        "Motivating employers to support skills training",
        "50000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-1",
        "BI1-000003",
        "LDS",
        [],
        "Adult social care first contact",
        "50000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-2",
        "BI2-000001",
        "BNH",
        [],
        "Sugar in schools",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Match-funded trial completed.",
    ),
    (
        "bi-phase-2",
        "BI2-000002",
        "KEN",
        [],
        "Domestic abuse: victims taking up support",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Victims taking up support rose by 2.3%.",
    ),
    (
        "bi-phase-2",
        "BI2-000003",
        "LBH",
        ["SWK"],
        "Online STI testing (Lambeth and Southwark)",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-2",
        "BI2-000004",
        "TUN",
        ["SEV", "TON", "MAI", "ASF", "SWL"],
        "Managing housing demand (Tunbridge Wells and five neighbouring districts)",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-3",
        "BI3-000001",
        "WRT",
        [],
        "Nudging demand (Warrington)",
        "30000",
        C,
        {"savings": "8500", "cost_avoidance": "133000"},
        Rag.GREEN,
        "Savings of 8,500 and cost avoidance of 133,000 so far; projected 42,000 and 380,000 over a year.",
    ),
    (
        "bi-phase-3",
        "BI3-000002",
        "WOR",
        [],
        "Direct-debit sign-up",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Direct-debit sign-up up 61%.",
    ),
    (
        "bi-phase-3",
        "BI3-000003",
        "KWL",
        [],
        "Referrals and installations",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Referrals up 39%, installations up 27%.",
    ),
]

# Channel Shift (Feb 2017): 23 councils; 16 live, 5 due later, 2 returned their funding.
CHANNEL_SHIFT_CODES = [
    "MAN", "CON", "NFK", "NOW", "CAM", "PTE", "HRT", "WAT", "STO", "GLO", "WGN", "SEV",
    "TON", "MAI", "ASF", "SWL", "LIV", "LDS", "WRT", "KWL", "LIN", "WOR", "BNH",
]  # fmt: skip
CHANNEL_SHIFT_AMOUNT = D("40000")  # illustrative: the report gives no per-council amount

# OPE phase 7 partnerships (illustrative; the reports give programme-wide outputs only).
OPE = [
    (
        "OPE7-000001",
        "CAM",
        ["PTE"],
        "Cambridgeshire and Peterborough public estate",
        "500000",
        {"capital_receipts": "4200000", "running_cost_savings": "650000", "jobs_created": "120", "homes": "310"},
    ),
    (
        "OPE7-000002",
        "NFK",
        ["NOW"],
        "Norfolk and Norwich public estate",
        "450000",
        {"capital_receipts": "2600000", "running_cost_savings": "420000", "jobs_created": "85", "homes": "190"},
    ),
    (
        "OPE7-000003",
        "HRT",
        ["WAT"],
        "Hertfordshire public estate",
        "400000",
        {"capital_receipts": "3100000", "running_cost_savings": "380000", "jobs_created": "60", "homes": "240"},
    ),
    (
        "OPE7-000004",
        "STO",
        ["GLO"],
        "Gloucestershire public estate",
        "300000",
        {"capital_receipts": "1500000", "running_cost_savings": "210000", "jobs_created": "40", "homes": "150"},
    ),
]

ROUND_OUTPUTS = {
    "bi-phase-1": [],
    "bi-phase-2": [],
    "bi-phase-3": ["savings", "cost_avoidance"],
    "channel-shift": ["savings", "projects_live"],
    "ope-phase-7": ["capital_receipts", "running_cost_savings", "jobs_created", "homes"],
}
# (title, period start, period end, due)
PERIODS = {
    "bi-phase-1": [("Final return 2015/16", date(2015, 10, 1), date(2016, 3, 31), date(2016, 4, 29))],
    "bi-phase-2": [("Final return 2016/17", date(2016, 9, 1), date(2017, 3, 31), date(2017, 4, 28))],
    "bi-phase-3": [("Final return 2017/18", date(2017, 9, 1), date(2018, 3, 31), date(2018, 4, 27))],
    "channel-shift": [("Return 2017/18", date(2017, 4, 1), date(2018, 3, 31), date(2018, 4, 27))],
    "ope-phase-7": [
        ("Return 2019/20", date(2019, 4, 1), date(2020, 3, 31), date(2020, 4, 30)),
        ("Return 2020/21", date(2020, 4, 1), date(2021, 3, 31), date(2021, 4, 30)),
    ],
}


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def _setup_round(rnd) -> tuple[dict[str, RoundOutput], list[ReturnPeriod]]:
    outputs = {}
    for i, kind in enumerate(ROUND_OUTPUTS[rnd.slug]):
        outputs[kind], _ = RoundOutput.objects.get_or_create(
            round=rnd, kind=kind, label="", defaults={"unit": OUTPUT_UNITS[kind], "order": i}
        )
    periods = []
    for title, start, end, due in PERIODS[rnd.slug]:
        p, _ = ReturnPeriod.objects.update_or_create(
            round=rnd, title=title, defaults={"period_start": start, "period_end": end, "due_on": due}
        )
        periods.append(p)
    return outputs, periods


def _award(rnd, reference, lead, partners, title, amount, status, award_date, scope="", end=None):
    """A new award goes through `award_create_historic` (validated, audited); a second run
    refreshes the existing one in place."""
    fields = {
        "round": rnd,
        "lead": _org(lead),
        "title": title,
        "scope": scope,
        "amount": D(amount),
        "status": status,
        "award_date": award_date,
        "planned_start": award_date,
        "planned_end": end or award_date + timedelta(days=365),
    }
    award = Award.objects.filter(reference=reference).first()
    if award is None:
        award = award_create_historic(actor=None, reference=reference, partners=[_org(c) for c in partners], **fields)
    else:
        Award.objects.filter(pk=award.pk).update(**fields, is_historic=True, status_changed_at=timezone.now())
        award.refresh_from_db()
        award.partners.set([_org(c) for c in partners])
    if status == C and not award.closure_report:
        award.closure_report = "Project completed; see the final return."
        award.save(update_fields=["closure_report"])
    PaymentTranche.objects.update_or_create(
        award=award,
        number=1,
        defaults={
            "amount": award.amount,
            "due_on": award_date,
            "status": TrancheStatus.PAID,
            "paid_on": award_date + timedelta(days=30),
            "payment_reference": f"HIST-{reference}",
        },
    )
    return award


def _return(award, period, outputs, values, rag, commentary, status=ReturnStatus.APPROVED):
    r, _ = MonitoringReturn.objects.update_or_create(
        award=award,
        period=period,
        defaults={
            "status": status,
            "rag": rag,
            "commentary": commentary,
            "submitted_at": timezone.now(),
            "submission_count": 1,
        },
    )
    for kind, value in values.items():
        OutputValue.objects.update_or_create(monitoring_return=r, output=outputs[kind], defaults={"value": D(value)})
    return r


def seed(stdout=None, context=None) -> dict:
    rounds = context["rounds"]
    setups = {slug: _setup_round(rounds[slug]) for slug in ROUND_OUTPUTS}
    made = []
    for slug, ref, lead, partners, title, amount, status, values, rag, commentary in AWARDS:
        rnd = rounds[slug]
        outputs, periods = setups[slug]
        award_date = periods[0].period_start
        award = _award(rnd, ref, lead, partners, title, amount, status, award_date)
        _return(award, periods[-1], outputs, values, rag, commentary)
        made.append(award)
    # Channel Shift
    rnd = rounds["channel-shift"]
    outputs, periods = setups["channel-shift"]
    for i, code in enumerate(CHANNEL_SHIFT_CODES, start=1):
        returned = i > 21
        due_later = 16 < i <= 21
        status = AwardStatus.TERMINATED if returned else AwardStatus.ACTIVE if due_later else C
        award = _award(
            rnd,
            f"CS-{i:06d}",
            code,
            [],
            "Channel shift: services online",
            CHANNEL_SHIFT_AMOUNT,
            status,
            date(2017, 2, 20),
            scope="Illustrative: the report names no councils or amounts for Channel Shift.",
        )
        OutputTarget.objects.update_or_create(award=award, output=outputs["savings"], defaults={"target": D("43478")})
        if returned:
            FundReturn.objects.update_or_create(
                award=award,
                defaults={
                    "amount": award.amount,
                    "returned_on": date(2017, 9, 29),
                    "reason": "The council could not proceed with the project and returned its funding.",
                },
            )
            award.status_reason = "Funding returned: the council could not proceed"
            award.save(update_fields=["status_reason"])
            continue
        live = "0" if due_later else "1"
        rag = Rag.AMBER if due_later else Rag.GREEN
        commentary = "Going live later than planned; supplier engaged and new date agreed." if due_later else ""
        _return(
            award,
            periods[0],
            outputs,
            {"projects_live": live, "savings": "0" if due_later else "62500"},
            rag,
            commentary,
        )
        made.append(award)
    # One Public Estate phase 7
    rnd = rounds["ope-phase-7"]
    outputs, periods = setups["ope-phase-7"]
    for ref, lead, partners, title, amount, values in OPE:
        award = _award(
            rnd,
            ref,
            lead,
            partners,
            title,
            amount,
            AwardStatus.ACTIVE,
            date(2019, 4, 15),
            end=date(2022, 3, 31),
            scope="Illustrative partnership: the reports give phase 7 totals only (15m to 59 partnerships).",
        )
        for kind, value in values.items():
            OutputTarget.objects.update_or_create(award=award, output=outputs[kind], defaults={"target": D(value) * 2})
        half = {k: str(D(v) / 2) for k, v in values.items()}
        _return(award, periods[0], outputs, half, Rag.GREEN, "")
        _return(award, periods[1], outputs, half, Rag.AMBER, "Two disposals slipped a quarter; buyers confirmed.")
        made.append(award)
    # The demo publishes rounds directly, not through round_save: give the rounds still to close the
    # schedule their opening step would have built (idempotent: a round with one keeps it).
    for rnd in rounds.values():
        if rnd.published and rnd.closes_at > timezone.now():
            return_schedule_default(round=rnd, actor=None)
    if stdout:
        stdout.write(f"Awards demo: {Award.objects.filter(is_historic=True).count()} historic awards")
    return {"awards": made}
