"""The awards demo. The funder's historic awards, their paid tranches, returns (each sent in its
own period, after it ended, so the board report for any past quarter shows what was reported by
then) and returned funds come from the history workbooks (grants.awards.demo_history, issue 18);
this module adds what the workbooks cannot carry, keyed on their references, and the live awards
of Behavioural Insights phase 5 (decided by scoring.demo), with returns to send, a return to
review and payments due.

Idempotent: awards are found by reference, returns by (award, period), values by output.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from grants.awards.models import (
    Award,
    AwardStatus,
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

from . import demo_benefits, demo_contacts, demo_history, demo_outputs, demo_partnerships, demo_spend
from . import terms as offer_terms
from .services import award_create_historic, return_schedule_default, returns_create

D = Decimal
C = AwardStatus.COMPLETED
LONDON = ZoneInfo("Europe/London")
SENT_AFTER = timedelta(days=20)  # a return goes in about three weeks after its period ends
CLOSURE = "Project completed; see the final return."
CS_SAVINGS_TARGET = D("43478")  # each Channel Shift council's share of the projected £1m, to the pound
RETURNED = "Funding returned: the council could not proceed"
# One Public Estate phase 7: the named partnerships' targets (each of their three returns reports a quarter).
OPE7_TARGETS = {
    "OPE7-000001": {"capital_receipts": "8400000", "running_cost_savings": "1300000", "jobs_created": "240", "homes": "620"},
    "OPE7-000002": {"capital_receipts": "5200000", "running_cost_savings": "840000", "jobs_created": "170", "homes": "380"},
    "OPE7-000003": {"capital_receipts": "6200000", "running_cost_savings": "760000", "jobs_created": "120", "homes": "480"},
    "OPE7-000004": {"capital_receipts": "3000000", "running_cost_savings": "420000", "jobs_created": "80", "homes": "300"},
}  # fmt: skip


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def _award(rnd, reference, lead, partners, title, amount, status, award_date, scope="", end=None, match=None):
    """A new award goes through `award_create_historic` (validated, audited); a second run
    refreshes the existing one in place."""
    fields = {
        "round": rnd,
        "lead": _org(lead),
        "title": title,
        "scope": scope,
        "amount": D(amount),
        "match_funding": match or D("0"),
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


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=LONDON).replace(hour=hour)


def _return(award, period, outputs, values, rag, commentary, status=ReturnStatus.APPROVED, sent_on=None):
    """A return sent on `sent_on` (by default three weeks after its period ended), approved a week
    later unless `status` says otherwise: never sent before its period ends."""
    sent_on = sent_on or period.period_end + SENT_AFTER
    assert sent_on > period.period_end, f"{period} cannot be sent before it ends"
    approved = status == ReturnStatus.APPROVED
    r, _ = MonitoringReturn.objects.update_or_create(
        award=award,
        period=period,
        defaults={
            "status": status,
            "rag": rag,
            "commentary": commentary,
            "submitted_at": _at(sent_on),
            "submission_count": 1,
            "reviewed_at": _at(sent_on + timedelta(days=7)) if approved else None,
        },
    )
    for kind, value in values.items():
        OutputValue.objects.update_or_create(monitoring_return=r, output=outputs[kind], defaults={"value": D(value)})
    return r


# Behavioural Insights phase 5: the periods, relative to today, of the project year that started
# 220 days ago: (title, start, end, due), in days from today.
PHASE_5_PERIODS = [
    ("First return", -220, -111, -81),
    ("Second return", -110, -20, 10),
    ("Third return", -19, 70, 100),
    ("Final return", 71, 144, 174),
]
PHASE_5_SENT = {"SND", "NFK"}  # sent the second return; the others have it to do (Leeds among them)


def _phase_5(rnd) -> list[Award]:
    """The awards scoring.demo made in phase 5, as they stand months on: accepted, started, half
    paid with the second half due now, the first return approved and the second coming in.
    Kent's offer (from the reserve list, made lately) is left for its signatory to accept."""
    if rnd is None:
        return []
    today = timezone.localdate()
    outputs = {}
    for i, kind in enumerate(("people_reached", "savings")):
        outputs[kind], _ = RoundOutput.objects.get_or_create(
            round=rnd, kind=kind, label="", defaults={"unit": OUTPUT_UNITS[kind], "order": i}
        )
    periods = []
    for title, start, end, due in PHASE_5_PERIODS:
        p, _ = ReturnPeriod.objects.update_or_create(
            round=rnd,
            title=title,
            defaults={
                "period_start": today + timedelta(days=start),
                "period_end": today + timedelta(days=end),
                "due_on": today + timedelta(days=due),
            },
        )
        periods.append(p)
    decided = rnd.decision_date or today + timedelta(days=PHASE_5_PERIODS[0][1] - 10)
    made = []
    for award in Award.objects.filter(round=rnd, bid__isnull=False).select_related("lead"):
        if award.award_date != decided and award.status in (AwardStatus.OFFERED, AwardStatus.DECLINED):
            if award.status == AwardStatus.DECLINED or award.lead.code != "KEN":  # Kent's offer is today's
                Award.objects.filter(pk=award.pk).update(award_date=decided, respond_by=decided + timedelta(days=28))
        if award.lead.code == "KEN":
            if award.status == AwardStatus.OFFERED:  # its own project dates, from next month
                start = today + timedelta(days=30)
                Award.objects.filter(pk=award.pk).update(planned_start=start, planned_end=start + timedelta(days=364))
                PaymentTranche.objects.filter(award=award, status=TrancheStatus.PLANNED).update(due_on=start)
            continue
        if award.status == AwardStatus.OFFERED:  # first run: accepted long ago, and started
            accepted_at = _at(decided + timedelta(days=12))
            Award.objects.filter(pk=award.pk).update(
                planned_start=today + timedelta(days=PHASE_5_PERIODS[0][1]),
                planned_end=today + timedelta(days=PHASE_5_PERIODS[-1][2]),
                status=AwardStatus.ACTIVE,
                status_changed_at=accepted_at,
                accepted_at=accepted_at,
                accepted_name="Chief Executive",
                accepted_role="Head of Paid Service",
            )
            award.refresh_from_db()
            award.accepted_terms = offer_terms.snapshot(award)
            award.save(update_fields=["accepted_terms"])
        if award.status != AwardStatus.ACTIVE:
            continue
        returns_create(award=award)
        half = (award.amount / 2).quantize(D("0.01"))
        PaymentTranche.objects.update_or_create(
            award=award,
            number=1,
            defaults={
                "amount": half,
                "due_on": award.award_date + timedelta(days=30),
                "status": TrancheStatus.PAID,
                "paid_on": award.award_date + timedelta(days=35),
                "payment_reference": f"BACS-{award.reference}-1",
            },
        )
        PaymentTranche.objects.update_or_create(
            award=award,
            number=2,
            defaults={"amount": award.amount - half, "due_on": today - timedelta(days=7)},
        )
        OutputTarget.objects.update_or_create(award=award, output=outputs["people_reached"], defaults={"target": 2000})
        OutputTarget.objects.update_or_create(award=award, output=outputs["savings"], defaults={"target": D("40000")})
        late = award.lead.code == "CON"
        _return(
            award,
            periods[0],
            outputs,
            {"people_reached": "350" if late else "600", "savings": "4000" if late else "9000"},
            Rag.AMBER if late else Rag.GREEN,
            "Trial started a month late; the sample will be complete by the end of the second period."
            if late
            else "Trial running; first mailing sent.",
            sent_on=periods[0].period_end + timedelta(days=14),  # before the latest quarter end, whatever today is
        )
        if award.lead.code in PHASE_5_SENT:
            _return(
                award,
                periods[1],
                outputs,
                {"people_reached": "700", "savings": "11000"},
                Rag.GREEN,
                "Second mailing sent; response rates above the control group.",
                status=ReturnStatus.SUBMITTED,
                sent_on=periods[1].period_end + timedelta(days=15),
            )
        made.append(award)
    return made


def _open_round_schedule(rnd) -> None:
    """The open round's monitoring schedule, as opening a round needs: two half-year returns in
    the project year after it (the manager may change it)."""
    if rnd is None:
        return
    year = rnd.financial_year + 1
    halves = [
        ("First half-year return", date(year, 4, 1), date(year, 9, 30), date(year, 10, 28)),
        ("Second half-year return", date(year, 10, 1), date(year + 1, 3, 31), date(year + 1, 4, 28)),
    ]
    for title, start, end, due in halves:
        ReturnPeriod.objects.update_or_create(
            round=rnd, title=title, defaults={"period_start": start, "period_end": end, "due_on": due}
        )


def _history_extras(rounds: dict) -> list[Award]:
    """What the history workbooks cannot carry, keyed on their references: closure reports of
    completed awards, Channel Shift's savings targets and the reason two councils gave their
    money back, and One Public Estate phase 7's targets."""
    historic = Award.objects.filter(is_historic=True, bid__isnull=True)
    historic.filter(status=C, closure_report="").update(closure_report=CLOSURE)
    cs = rounds["channel-shift"]
    savings = RoundOutput.objects.get(round=cs, kind="savings", label="")
    for award in historic.filter(round=cs):
        if award.status == AwardStatus.TERMINATED:
            if not award.status_reason:
                Award.objects.filter(pk=award.pk).update(status_reason=RETURNED)
            continue
        OutputTarget.objects.update_or_create(award=award, output=savings, defaults={"target": CS_SAVINGS_TARGET})
    for award in historic.filter(reference__in=OPE7_TARGETS):
        for kind, target in OPE7_TARGETS[award.reference].items():
            output = RoundOutput.objects.get(round=award.round, kind=kind, label="")
            OutputTarget.objects.update_or_create(award=award, output=output, defaults={"target": D(target)})
    return list(historic.order_by("pk"))


def seed(stdout=None, context=None) -> dict:
    rounds = context["rounds"]
    demo_history.seed(stdout=stdout, context=context)  # once per run: seed_demo may have imported it already
    made = _history_extras(rounds)
    made += _phase_5(rounds.get("bi-phase-5"))
    _open_round_schedule(rounds.get("digital-inclusion"))
    # The demo publishes rounds directly, not through round_save: give the rounds still to close the
    # schedule their opening step would have built (idempotent: a round with one keeps it).
    for rnd in rounds.values():
        if rnd.published and rnd.closes_at > timezone.now():
            return_schedule_default(round=rnd, actor=None)
    demo_contacts.seed(context=context)  # Issue 16: notes and the contact log on Leeds's award
    made += demo_outputs.seed(context=context)  # Issue 17: forecasts against baselines, percentages
    demo_benefits.seed(context=context)  # Issue 17: benefits after closure (Productivity Experts, Kent)
    demo_partnerships.seed(context=context)  # Issue 17: One Public Estate's standing partnerships
    demo_spend.seed(context=context)  # Issue 17: spend in returns; a return awaiting certification
    if stdout:
        stdout.write(f"Awards demo: {Award.objects.filter(is_historic=True).count()} historic awards")
    return {"awards": made}
