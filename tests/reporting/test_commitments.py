"""Commitments and deliverables: progress from live data computed from the spec of the awards (not
from the code under test), the rules on units, years and values entered by hand, and a
deliverable's RAG set with a reason (history and audit) beside the RAG computed from returns."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grants.models import AuditEvent
from grants.reporting.commitment_selectors import commitment_progress, computed_rags
from grants.reporting.commitment_services import (
    commitment_remove,
    commitment_save,
    deliverable_add,
    deliverable_rag_set,
)
from grants.reporting.commitments import Commitment, Deliverable
from grants.reporting.selectors import programme_rag
from grants.reporting.services import ReportingError

from . import factories as rf

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
AS_AT = date(2018, 12, 31)  # quarter 2 of 2018/19 has been reported (October), quarter 3 has not

SPECS = [
    # Programme (rounds 0: 2018, 1: 2019); the other programme (rounds 2: 2018, 3: 2019).
    rf.AwardSpec(0, "active", 30000, rag="green", value=2000, later=[("amber", "submitted", 500)]),
    rf.AwardSpec(
        0, "accepted", 20000, rag="red", value=100, later=[("green", "approved", 40), ("red", "submitted", 7)]
    ),
    rf.AwardSpec(0, "declined", 10000, rag="green", value=999),  # not standing: counts nowhere
    rf.AwardSpec(1, "completed", 50000, rag="green", value=3000),
    rf.AwardSpec(2, "active", 40000, rag="amber", value=4000),
]


def data(**kw) -> dict:
    base = {"financial_year": None, "text": "At least", "target": Decimal("2"), "unit": "count",
            "measure": "awards_made", "manual_value": None, "manual_as_at": None}  # fmt: skip
    return {**base, **kw}


@pytest.fixture
def world(personas):
    rounds = rf.make_rounds([personas.programme, personas.other_programme])
    return rounds, [rf.make_award(rounds[s.round], s) for s in SPECS]


def _save(personas, programme=None, **kw) -> Commitment:
    return commitment_save(user=personas.programme_manager, programme=programme or personas.programme, data=data(**kw))


def test_live_measures_count_the_programme_and_year_as_at_the_date(personas, world):
    mine = [s for s in SPECS if s.round < 2 and s.status in rf.STANDING]
    made = _save(personas, text="Awards", target=Decimal("3"))
    year = _save(personas, text="Money 2018", financial_year=2018, unit="pounds", measure="amount_awarded",
                 target=Decimal("60000"))  # fmt: skip
    savings = _save(personas, text="Savings", unit="pounds", measure="output:savings", target=Decimal("1"))
    later = _save(personas, text="Later year", financial_year=2019, measure="awards_made", target=Decimal("1"))
    got = {p.commitment.pk: p for p in commitment_progress([made, year, savings, later], AS_AT)}
    # Awards made by the date only: the 2019 round's award is dated 1 July 2019.
    assert got[made.pk].value == len([s for s in mine if s.round == 0]) == 2 and got[made.pk].met is False
    assert commitment_progress([made], date(2019, 12, 31))[0].met
    assert got[year.pk].value == sum(s.amount for s in mine if s.round == 0) == 50000
    assert got[year.pk].met is False
    assert got[later.pk].value == 0
    expected = sum(r[3] for s in mine for r in rf.reported_returns(s, rf.YEARS[s.round], AS_AT))
    assert got[savings.pk].value == expected == 2000 + 500 + 100 + 40
    assert commitment_progress([later], date(2019, 12, 31))[0].value == 1


def test_two_measures_over_the_same_scope_keep_their_own_figures(personas, world):
    """Awards made and amount awarded both ask about (programme, every year): neither takes the other's."""
    made = _save(personas, text="Awards")
    money = _save(personas, text="Money", unit="pounds", measure="amount_awarded", target=Decimal("1"))
    a, b = commitment_progress([made, money], date(2030, 3, 31))
    assert (a.value, b.value) == (3, 100000)


def test_a_value_entered_by_hand_counts_from_its_date_and_records_who(personas):
    c = _save(personas, text="Savings over four years", unit="pounds", measure="manual", target=Decimal("25000000"),
              manual_value=Decimal("42600000"), manual_as_at=date(2019, 3, 31))  # fmt: skip
    assert c.manual_by == personas.programme_manager
    assert commitment_progress([c], date(2018, 12, 31))[0].value is None
    p = commitment_progress([c], date(2019, 3, 31))[0]
    assert (p.value, p.met, p.value_text, p.target_text) == (Decimal("42600000"), True, "£42,600,000", "£25,000,000")


def test_councils_involved_counts_each_council_once_from_reach(personas):
    """The measure reads the one owner of reach: a partner on two awards and a lead who partners
    another are each counted once, so 3 councils, not 5."""
    from tests.awards.factories import AwardFactory

    c = _save(personas, text="At least 3 councils", unit="councils", measure="councils_involved", target=Decimal(3))
    rnd = personas.round
    kent, medway, leeds = personas.lead_org, personas.partner_org, personas.other_org
    for lead, partners in ((kent, [medway]), (leeds, [medway, kent])):
        AwardFactory(round=rnd, lead=lead, award_date=date(2018, 10, 1), status="active").partners.set(partners)
    before = commitment_progress([c], date(2018, 9, 30))[0]
    after = commitment_progress([c], AS_AT)[0]
    assert (before.value, before.met) == (0, False)
    assert (after.value, after.met) == (3, True)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"measure": "amount_awarded", "unit": "count"}, "unit"),
        ({"measure": "councils_involved", "unit": "councils", "financial_year": 2018}, "measure"),
        ({"measure": "manual", "manual_value": Decimal(1)}, "manual_as_at"),
        ({"measure": "no_such_measure"}, "measure"),
    ],
)
def test_the_service_refuses_a_measure_that_cannot_answer(personas, fields, field):
    with pytest.raises(ReportingError) as exc:
        _save(personas, **fields)
    assert field in exc.value.message_dict
    assert not Commitment.objects.exists()


def test_only_the_programmes_managers_change_commitments(personas):
    for user in (personas.other_programme_manager, personas.board_viewer, personas.finance_officer):
        with pytest.raises(ReportingError):
            commitment_save(user=user, programme=personas.programme, data=data())
    c = _save(personas)
    with pytest.raises(ReportingError):  # through another programme it manages
        commitment_save(user=personas.other_programme_manager, programme=personas.other_programme, data=data(),
                        commitment=c)  # fmt: skip
    with pytest.raises(ReportingError):
        commitment_remove(user=personas.board_viewer, commitment=c)
    commitment_remove(user=personas.administrator, commitment=c)
    assert not Commitment.objects.exists()
    actions = list(AuditEvent.objects.filter(target_type="reporting.commitment").values_list("action", flat=True))
    assert sorted(actions) == ["commitment.added", "commitment.removed"]


def test_deliverables_are_numbered_in_order_and_keep_to_their_programme(personas, world):
    rounds, _ = world
    first = deliverable_add(user=personas.programme_manager, programme=personas.programme, financial_year=2018,
                            title="One", round=rounds[0])  # fmt: skip
    second = deliverable_add(user=personas.programme_manager, programme=personas.programme, financial_year=2018,
                             title="Two")  # fmt: skip
    other_year = deliverable_add(user=personas.programme_manager, programme=personas.programme, financial_year=2019,
                                 title="Next year")  # fmt: skip
    assert (first.number, second.number, other_year.number) == (1, 2, 1)
    with pytest.raises(ReportingError):
        deliverable_add(user=personas.programme_manager, programme=personas.programme, financial_year=2018,
                        title="Three", round=rounds[2])  # fmt: skip
    with pytest.raises(ReportingError):
        deliverable_add(user=personas.board_viewer, programme=personas.programme, financial_year=2018, title="X")
    assert Deliverable.objects.count() == 3


def test_a_rag_set_needs_a_reason_and_keeps_its_history(personas):
    d = deliverable_add(user=personas.programme_manager, programme=personas.programme, financial_year=2018, title="A")
    with pytest.raises(ReportingError):
        deliverable_rag_set(user=personas.programme_manager, deliverable=d, rag="amber", reason="  ")
    with pytest.raises(ReportingError):
        deliverable_rag_set(user=personas.programme_manager, deliverable=d, rag="purple", reason="Why")
    with pytest.raises(ReportingError):
        deliverable_rag_set(user=personas.finance_officer, deliverable=d, rag="red", reason="Why")
    deliverable_rag_set(user=personas.programme_manager, deliverable=d, rag="amber", reason="Late")
    deliverable_rag_set(user=personas.administrator, deliverable=d, rag="green", reason="Done")
    # A historic assessment entered afterwards is kept in the history without hiding the later one.
    old = datetime(2018, 6, 30, 12, tzinfo=LONDON)
    deliverable_rag_set(user=personas.programme_manager, deliverable=d, rag="red", reason="Then", at=old)
    d.refresh_from_db()
    assert (d.rag, d.reason, d.rag_set_by) == ("green", "Done", personas.administrator)
    history = [(h.rag, h.reason, h.set_by) for h in d.rag_changes.all()]
    assert history == [("green", "Done", personas.administrator), ("amber", "Late", personas.programme_manager),
                       ("red", "Then", personas.programme_manager)]  # fmt: skip
    assert AuditEvent.objects.filter(action="deliverable.rag_set", target_id=str(d.pk)).count() == 3


def test_computed_rag_is_the_board_rule_over_the_rounds_latest_returns(personas, world):
    rounds, _ = world
    pm = personas.programme_manager
    linked = deliverable_add(user=pm, programme=personas.programme, financial_year=2018, title="L", round=rounds[0])
    plain = deliverable_add(user=pm, programme=personas.programme, financial_year=2018, title="P")
    for as_at in (date(2018, 9, 30), AS_AT, date(2019, 3, 31)):
        board = [s for s in SPECS if s.round == 0 and s.status in ("accepted", "active", "completed")]
        latest = [rf.latest_rag(s, 2018, as_at) for s in board]
        want = programme_rag(*(latest.count(c) for c in ("green", "amber", "red")))
        assert computed_rags([linked, plain], as_at) == {linked.pk: want, plain.pk: ""}
    # At 31 December: green->amber and red->green->(red not yet counted) give Amber.
    assert computed_rags([linked], AS_AT)[linked.pk] == "amber"
