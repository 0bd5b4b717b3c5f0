"""The board report's commitments and deliverables: figures as at a date, and a fixed number of
queries whatever the number of awards, commitments and deliverables."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grants.reporting.board_commitments import board_commitments, board_deliverables
from grants.reporting.commitment_services import commitment_save, deliverable_add, deliverable_rag_set

from . import factories as rf

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _commit(personas, programme, text, **kw):
    data = {"financial_year": None, "text": text, "target": Decimal("2"), "unit": "count", "measure": "awards_made",
            "manual_value": None, "manual_as_at": None, **kw}  # fmt: skip
    return commitment_save(user=personas.administrator, programme=programme, data=data)


def test_commitments_show_target_progress_and_whether_met(personas):
    rounds = rf.make_rounds([personas.programme, personas.other_programme])
    for spec in (rf.AwardSpec(0, "active", 30000), rf.AwardSpec(0, "completed", 25000), rf.AwardSpec(2, "active", 1)):
        rf.make_award(rounds[spec.round], spec)
    _commit(personas, personas.programme, "Two awards")
    _commit(personas, personas.programme, "At least £60,000", unit="pounds", measure="amount_awarded",
            target=Decimal("60000"))  # fmt: skip
    _commit(personas, personas.programme, "Savings", unit="pounds", measure="manual", target=Decimal("1000"),
            manual_value=Decimal("1500"), manual_as_at=date(2019, 3, 31))  # fmt: skip
    got = board_commitments([personas.programme.pk, personas.other_programme.pk], date(2019, 3, 31))
    assert list(got) == [personas.programme.pk]  # a programme with no commitments is left out
    [section] = got[personas.programme.pk]
    assert section.key == "commitments"
    assert section.rows == [
        ["Two awards", "Whole programme", "2", "2", "Met", "Awards made"],
        ["At least £60,000", "Whole programme", "£60,000", "£55,000", "Not yet", "Amount awarded"],
        ["Savings", "Whole programme", "£1,000", "£1,500", "Met", "Entered by hand"],
    ]
    [early] = board_commitments([personas.programme.pk], date(2018, 3, 31))[personas.programme.pk]
    assert [r[3:5] for r in early.rows] == [["0", "Not yet"], ["£0", "Not yet"], ["Not known yet", "Not known"]]


def test_deliverables_by_rag_set_as_at_the_date_and_computed(personas):
    rounds = rf.make_rounds([personas.programme])
    rf.make_award(rounds[0], rf.AwardSpec(0, "active", 1000, rag="red"))
    pm = personas.programme_manager
    items = [deliverable_add(user=pm, programme=personas.programme, financial_year=2018, title=f"D{i}",
                             round=rounds[0] if i == 0 else None) for i in range(4)]  # fmt: skip
    early, late = datetime(2018, 12, 1, tzinfo=LONDON), datetime(2019, 2, 1, tzinfo=LONDON)
    for d, rag in zip(items, ("green", "green", "amber", "red"), strict=True):
        deliverable_rag_set(user=pm, deliverable=d, rag=rag, reason=f"{rag} reason", at=early)
    deliverable_rag_set(user=pm, deliverable=items[3], rag="green", reason="Caught up", at=late)
    deliverable_add(user=pm, programme=personas.programme, financial_year=2019, title="Next year")
    got = board_deliverables([personas.programme.pk], date(2018, 12, 31))
    counts, not_green = got[personas.programme.pk]  # 2019/20 had not started at 31 December 2018
    assert counts.title == "Deliverables 2018/19: 4 deliverables: 2 Green, 1 Amber, 1 Red"
    assert counts.rows == [["Green", 2, 0], ["Amber", 0 + 1, 0], ["Red", 1, 1], ["Not set or not computed", 0, 3]]
    assert counts.chart is not None and counts.chart.rows[0] == ["Green", "2"]
    assert not_green.rows == [[3, "D2", "amber", "", "amber reason"], [4, "D3", "red", "", "red reason"]]
    later = board_deliverables([personas.programme.pk], date(2019, 6, 30))[personas.programme.pk]
    assert [s.title for s in later] == [
        "Deliverables 2019/20: 1 deliverable: 0 Green, 0 Amber, 0 Red, 1 not set",
        "Deliverables 2019/20 not Green",
        "Deliverables 2018/19: 4 deliverables: 3 Green, 1 Amber, 0 Red",
        "Deliverables 2018/19 not Green",
    ]
    assert later[3].rows == [[3, "D2", "amber", "", "amber reason"]]


def _world(personas, size: int):
    rounds = rf.make_rounds([personas.programme, personas.other_programme])
    for i in range(size):
        rf.make_award(rounds[i % 4], rf.AwardSpec(i % 4, "active", 1000, rag=("green", "amber", "red")[i % 3],
                                                  value=10))  # fmt: skip
    pm, other = personas.programme_manager, personas.other_programme_manager
    measures = [
        ("awards_made", "count"),
        ("amount_awarded", "pounds"),
        ("output:savings", "pounds"),
        ("manual", "count"),
    ]
    for i in range(size):
        programme = personas.programme if i % 2 else personas.other_programme
        measure, unit = measures[i % 4]
        _commit(personas, programme, f"C{i}", measure=measure, unit=unit, financial_year=2018 if i % 3 else None)
        d = deliverable_add(user=pm if i % 2 else other, programme=programme, financial_year=2018, title=f"D{i}",
                            round=rounds[1 if i % 2 else 3])  # fmt: skip
        deliverable_rag_set(user=pm if i % 2 else other, deliverable=d, rag="amber", reason="Late")


@pytest.mark.parametrize("size", [4, 24])
def test_providers_ask_a_fixed_number_of_queries(personas, django_assert_num_queries, size):
    _world(personas, size)
    ids = [personas.programme.pk, personas.other_programme.pk]
    with django_assert_num_queries(4):  # commitments, then awards made, amount awarded, outputs
        assert len(board_commitments(ids, date(2020, 3, 31))) == 2
    with django_assert_num_queries(2):  # deliverables with their RAG then, computed RAGs
        assert len(board_deliverables(ids, date(2020, 3, 31))) == 2
