"""The bulk path for new rows (grants.awards.imports.creating) keeps the services' promises: the
round's budget checked in file order with everything before each row (an update in between
included), and a batch the database refuses saved row by row through the services instead."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from grants.awards.imports import import_file
from grants.awards.models import Award, PaymentTranche
from grants.awards.selectors import round_committed
from grants.models import AuditEvent

from .importing import award_row, awards_book

pytestmark = pytest.mark.django_db


def _import(book, confirm=True):
    return import_file(book, filename="h.xlsx", actor=None, confirm=confirm)


def test_an_update_between_new_awards_counts_in_the_budget_check(personas):
    personas.round.budget, personas.round.max_award = Decimal("50000.00"), Decimal("50000.00")
    personas.round.save()
    assert _import(awards_book(personas, award_row(personas, "OLD-1", amount="10000"))).saved
    rows = [
        award_row(personas, "NEW-1", amount="10000"),  # 20,000 committed
        award_row(personas, "OLD-1", amount="30000"),  # the update: 40,000
        award_row(personas, "NEW-2", amount="15000"),  # 55,000: past the budget
        award_row(personas, "NEW-3", amount="10000"),  # 50,000: fits
    ]
    for confirm in (False, True):
        result = _import(awards_book(personas, *rows), confirm=confirm)
        assert [r.outcome for r in result.rows] == ["created", "updated", "error", "created"]
        assert result.errors == [
            "row 4, column 'amount': this award would commit £55,000 in "
            f"{personas.round.name}, more than its budget of £50,000 (£40,000 is already committed)"
        ]
        assert not result.saved and Award.objects.count() == 1
    assert round_committed(round=personas.round) == Decimal("10000.00")
    fits = _import(awards_book(personas, *rows[:2], rows[3]))
    assert fits.saved and round_committed(round=personas.round) == Decimal("50000.00")


def test_a_batch_the_database_refuses_is_saved_row_by_row(personas, monkeypatch):
    real = PaymentTranche.objects.bulk_create
    calls = []

    def refuse_once(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 1:
            raise IntegrityError("a clash")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(PaymentTranche.objects, "bulk_create", refuse_once)
    book = awards_book(personas, *(award_row(personas, f"CS1-{n}", amount="1000", Partners="MDX") for n in range(3)))
    result = _import(book)
    assert result.saved and [r.outcome for r in result.rows] == ["created"] * 3
    assert Award.objects.count() == 3 and PaymentTranche.objects.count() == 3
    assert AuditEvent.objects.filter(action="award.historic").count() == 3
    assert all(a.partners.get() == personas.partner_org for a in Award.objects.all())
