"""The bulk path for what a file creates: new historic awards and their new returns, checked row by
row with the services' own rules (grants.awards.services: historic_award_refusals, budget_refusal,
historic_return_check...) and saved a few hundred at a time with bulk_create, so a 10,000-award
file costs a few queries per hundred rows instead of ten per row.

Row by row, each award read the round's committed money again under the round's lock. Here the
lock is taken once per round (it is held until the file's transaction ends, so nothing else can
commit money in the round meanwhile) and committed is read once; each accepted award then adds
what it holds, in file order, so each row's budget check sees exactly what it would have seen.

A batch is saved before anything else touches the database (an update through the services), so
the services always see every row before theirs. A batch the database refuses (a clash with
something saved meanwhile) is rolled back to its savepoint and its rows go one by one through the
services instead, each getting its own outcome."""

from collections.abc import Callable
from decimal import Decimal

from django.db import DatabaseError, transaction

from grants.awards.models import Award, MonitoringReturn, OutputValue, PaymentTranche, ReturnPeriod, RoundOutput
from grants.awards.selectors import round_committed
from grants.awards.services import AwardError
from grants.awards.services.awards import (
    budget_refusal,
    due_returns,
    historic_award_audit,
    historic_award_new,
    historic_award_refusals,
    historic_first_tranche,
    historic_holds,
)
from grants.awards.services.historic import (
    CREATED,
    historic_output_values,
    historic_return_audit,
    historic_return_check,
    historic_return_new,
    historic_return_period,
    historic_return_wanted,
)
from grants.core.money import to_pounds
from grants.models import AuditEvent
from grants.services import round_lock

from .result import RowResult

BATCH = 500  # rows saved at once


class Batch:
    """Rows waiting to be saved together. `fallback(line, item)` saves one row through the services
    (a batch the database refused)."""

    def __init__(self, fallback: Callable[[RowResult, dict], None]):
        self.fallback = fallback
        self.pending: list[tuple[RowResult, dict]] = []

    def add(self, line: RowResult, item: dict) -> None:
        self.pending.append((line, item))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if not pending:
            return
        try:
            with transaction.atomic():
                self.save([item for _, item in pending])
        except DatabaseError:
            self.refused_by_database(pending)
            for line, item in pending:
                self.fallback(line, item)
            return
        for line, _ in pending:
            line.done(CREATED)

    def save(self, items: list[dict]) -> None:
        raise NotImplementedError

    def refused_by_database(self, pending: list[tuple[RowResult, dict]]) -> None:
        """Undo what the failed save left on the rows' objects."""


class Awards(Batch):
    """New historic awards: award_create_historic's rules and rows, many at a time."""

    def __init__(self, actor, fallback, *, known: dict[str, Award], new: set[int]):
        super().__init__(fallback)
        self.actor, self.known, self.new = actor, known, new
        self.rounds: dict[int, object] = {}  # round id -> the round, locked until the file's transaction ends
        self.committed: dict[int, Decimal] = {}  # round id -> committed, with the rows accepted so far

    def forget(self, round_id: int) -> None:
        """Something else (a service) may have changed the round's committed money: read it again."""
        self.committed.pop(round_id, None)

    def check(self, line: RowResult, data: dict) -> AwardError | None:
        """Check one new award as award_create_historic does and queue it; the refusal otherwise."""
        rnd, lead = data["round"], data["lead"]
        amount, match_funding = to_pounds(data["amount"]), to_pounds(data["match_funding"] or 0)
        errors = historic_award_refusals(
            round=rnd, title=data["title"], amount=amount, match_funding=match_funding, status=data["status"],
            planned_start=data["planned_start"], planned_end=data["planned_end"], partnership=None,
        )  # fmt: skip
        if rnd.pk not in self.rounds:
            self.rounds[rnd.pk] = round_lock(rnd.pk)
        locked = self.rounds[rnd.pk]
        if rnd.pk not in self.committed:
            self.committed[rnd.pk] = round_committed(round=locked)
        holds = historic_holds(amount, data["status"])
        if "amount" not in errors and (refusal := budget_refusal(locked, self.committed[rnd.pk], holds)):
            errors["amount"] = refusal
        if errors:
            return AwardError(errors)
        self.committed[rnd.pk] += holds
        award = historic_award_new(
            round=rnd, lead=lead, title=data["title"], scope=data["scope"], amount=amount,
            match_funding=match_funding, status=data["status"], award_date=data["award_date"],
            planned_start=data["planned_start"], planned_end=data["planned_end"], partnership=None,
            actor=self.actor, reference=data["reference"],
        )  # fmt: skip
        partners = [p for p in data["partners"] if p.pk != lead.pk]
        self.add(line, {"data": data, "award": award, "partners": partners})
        return None

    def save(self, items: list[dict]) -> None:
        awards = Award.objects.bulk_create([i["award"] for i in items])
        through = Award.partners.through
        through.objects.bulk_create(
            [through(award_id=i["award"].pk, organisation_id=p.pk) for i in items for p in i["partners"]]
        )
        PaymentTranche.objects.bulk_create([historic_first_tranche(a) for a in awards])
        live = [a for a in awards if a.status in Award.LIVE]
        schedules = {r: list(ReturnPeriod.objects.filter(round_id=r)) for r in {a.round_id for a in live}}
        MonitoringReturn.objects.bulk_create(
            [m for a in live for m in due_returns(award=a, periods=schedules[a.round_id])]
        )
        AuditEvent.objects.bulk_create([historic_award_audit(a) for a in awards])
        for award in awards:
            self.known[award.reference.lower()] = award
            self.new.add(award.pk)

    def refused_by_database(self, pending) -> None:
        for _, item in pending:
            item["award"].pk = None
            item["award"]._state.adding = True
        for rnd in {item["award"].round_id for _, item in pending}:
            self.forget(rnd)


class Returns(Batch):
    """New returns of awards this file creates: historic_return_put's rules and rows, many at a time."""

    def __init__(self, actor, fallback):
        super().__init__(fallback)
        self.actor = actor
        self.outputs: dict[int, dict[str, RoundOutput]] = {}  # round id -> its outputs by kind
        self.periods: dict[tuple[int, str], object] = {}  # (round id, title) -> the return period
        self.made: set[tuple[int, int]] = set()  # (award, period) of the returns queued or saved

    def outputs_of(self, round_id: int) -> dict[str, RoundOutput]:
        if round_id not in self.outputs:
            self.outputs[round_id] = {o.kind: o for o in RoundOutput.objects.filter(round_id=round_id)}
        return self.outputs[round_id]

    def fresh(self, award: Award, data: dict, new: set[int]) -> bool:
        """Whether the row is certainly a new return: of an award this file created with no returns
        scheduled (not live), for a period no earlier row gave it. Others go through the service."""
        if award.pk not in new or award.status in Award.LIVE:
            return False
        key = (award.round_id, data["period"])
        rperiod = self.periods.get(key)
        return rperiod is None or (award.pk, rperiod.pk) not in self.made

    def check(self, line: RowResult, award: Award, data: dict) -> AwardError | None:
        outputs = self.outputs_of(award.round_id)
        try:
            historic_return_check(
                period_start=data["period_start"], period_end=data["period_end"], values=data["values"], outputs=outputs
            )
        except AwardError as exc:
            return exc
        key = (award.round_id, data["period"])
        if key not in self.periods:
            self.periods[key] = historic_return_period(
                round_id=award.round_id, period=data["period"], period_start=data["period_start"],
                period_end=data["period_end"], due_on=data["due_on"],
            )  # fmt: skip
        rperiod = self.periods[key]
        want = historic_return_wanted(sent_on=data["sent_on"], rag=data["rag"], commentary=data["commentary"])
        mreturn = historic_return_new(award=award, rperiod=rperiod, want=want)
        self.made.add((award.pk, rperiod.pk))
        wanted = {k: to_pounds(v) for k, v in data["values"].items()}
        self.add(line, {"award": award, "data": data, "return": mreturn, "wanted": wanted, "outputs": outputs})
        return None

    def save(self, items: list[dict]) -> None:
        MonitoringReturn.objects.bulk_create([i["return"] for i in items])
        OutputValue.objects.bulk_create(
            [v for i in items for v in historic_output_values(i["return"], i["wanted"], i["outputs"])]
        )
        AuditEvent.objects.bulk_create(
            [
                historic_return_audit(
                    award=i["award"], actor=self.actor, period=i["data"]["period"], rag=i["data"]["rag"]
                )
                for i in items
            ]
        )

    def refused_by_database(self, pending) -> None:
        for _, item in pending:
            item["return"].pk = None
            item["return"]._state.adding = True
