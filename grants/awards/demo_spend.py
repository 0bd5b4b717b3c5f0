"""Issue 17 demo: spend in the demo's returns, and certification in Behavioural Insights phase 5.

Every return the demo sent gets spend for its period: the award spread evenly over the round's
returns (capital and revenue apart: One Public Estate projects are mostly capital, the
behavioural trials revenue), match funding likewise, and a forecast at completion of the award
itself. Cornwall's garden-waste trial started late (its first return is Amber) and forecasts an
underspend beyond the round's 10% tolerance, so the round's monitoring page and the board flag it.

Phase 5 asks for spend and for certification by the council's section 151 officer or delegate.
Cornwall's officer sends its second return through the real service, so it waits for Cornwall's
certifier (s151@cornwall.example.com); Leeds has a certifier too, for the return Leeds still has
to send. Illustrative figures: the funder's reports give no spend per return.

Idempotent: spend is written only where a return has none, and the return is sent only while due.
"""

from decimal import Decimal

from grants.awards.models import Award, MonitoringReturn, ReturnStatus
from grants.awards.models.monitoring import SPEND_FIELDS
from grants.core.words import counted
from grants.models import Round, User

from .services import return_submit

D = Decimal
CENT = D("0.01")
CAPITAL_SHARE = {"ope-phase-7": D("0.7")}  # the rest of the grant is revenue
UNDERSPEND = {("bi-phase-5", "CON"): D("0.8")}  # forecast at completion as a share of the award
CERTIFYING_ROUND = "bi-phase-5"
SENDER = "council.officer@cornwall.example.com"


def _capital_share(slug: str) -> Decimal:
    return next((share for key, share in CAPITAL_SHARE.items() if slug.startswith(key)), D("0"))


def _share(amount: Decimal, part: Decimal) -> Decimal:
    return (amount * part).quantize(CENT)


def _spend(award: Award, periods: int, round_slug: str) -> dict[str, Decimal]:
    per_return = (award.amount / periods).quantize(CENT)
    capital = _share(per_return, _capital_share(round_slug))
    under = [
        share for (slug, code), share in UNDERSPEND.items() if round_slug.startswith(slug) and award.lead.code == code
    ]
    forecast = _share(award.amount, under[0] if under else D("1"))
    forecast_capital = _share(forecast, _capital_share(round_slug))
    return {
        "spend_capital": capital,
        "spend_revenue": per_return - capital,
        "match_spent": (award.match_funding / periods).quantize(CENT),
        "forecast_capital": forecast_capital,
        "forecast_revenue": forecast - forecast_capital,
    }


def _spend_in_sent_returns() -> int:
    """Spend on every sent demo return that has none (never over what someone entered)."""
    no_spend = {f"{f}__isnull": True for f in SPEND_FIELDS}
    returns = (
        MonitoringReturn.objects.filter(submitted_at__isnull=False, **no_spend)
        .exclude(status=ReturnStatus.DUE)
        .select_related("award__lead", "award__round")
    )
    periods = {}
    done = 0
    for r in returns:
        rnd = r.award.round
        if rnd.pk not in periods:
            periods[rnd.pk] = max(rnd.return_periods.count(), 1)
        for field, value in _spend(r.award, periods[rnd.pk], rnd.slug).items():
            setattr(r, field, value)
        r.save(update_fields=list(SPEND_FIELDS))
        done += 1
    return done


def _certification(rounds: dict) -> MonitoringReturn | None:
    """Phase 5 asks for spend and certification; Cornwall's second return waits for its certifier."""
    rnd: Round | None = rounds.get(CERTIFYING_ROUND)
    if rnd is None:
        return None
    Round.objects.filter(pk=rnd.pk).update(returns_ask_spend=True, returns_need_certifying=True)
    rnd.refresh_from_db()
    award = Award.objects.filter(round=rnd, lead__code="CON", status__in=Award.LIVE).select_related("lead").first()
    sender = User.objects.filter(email=SENDER).first()
    if award is None or sender is None:
        return None
    second = award.returns.filter(period__title="Second return").select_related("period").first()
    if second is None or second.status != ReturnStatus.DUE:
        return second
    periods = max(rnd.return_periods.count(), 1)
    spend = {k: str(v) for k, v in _spend(award, periods, rnd.slug).items()}
    outputs = {o.kind: o.pk for o in rnd.outputs.all()}
    return return_submit(
        mreturn=second,
        actor=sender,
        rag="amber",
        commentary="Sign-ups are behind the plan after the late start; a second mailing goes out next month.",
        evidence="Mailing log and sign-up counts for the period.",
        values={outputs["people_reached"]: "300", outputs["savings"]: "3500"},
        spend=spend,
    )


def seed(stdout=None, context=None) -> dict:  # noqa: ARG001  (the demo chain's signature)
    awaiting = _certification(context["rounds"])
    done = _spend_in_sent_returns()
    if stdout:
        stdout.write(
            f"Spend demo: spend added to {counted(done, 'return')}; {'one' if awaiting else 'no'} return to certify"
        )
    return {"awaiting_certification": awaiting}
