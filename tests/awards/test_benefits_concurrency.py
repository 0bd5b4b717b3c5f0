"""Two writers make the same award's benefits schedule at once (a retried task beside the close):
the unique constraint keeps one return per year, and neither writer fails."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from grants.awards import services as s
from grants.awards.models import AwardStatus, BenefitsReturn
from tests import factories as f

from .factories import AwardFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_generations_at_once_make_one_schedule():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two real connections at once")
    rnd = f.RoundFactory(benefits_years=4)
    award = AwardFactory(
        round=rnd,
        status=AwardStatus.COMPLETED,
        closed_at=datetime(2024, 2, 29, 17, tzinfo=ZoneInfo("Europe/London")),
    )
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def generate():
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)  # both read "no years yet" before either writes
                s.benefits_schedule_create(award=award)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert list(BenefitsReturn.objects.filter(award=award).order_by("year").values_list("year", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
