"""Issue 19: for staff with no council, the awards a token may read are the portfolio's, filtered
on the awards table itself rather than as `id IN (the portfolio)`, so the API's count of 10,000
awards is one scan, not a semi-join of the table with itself. Same awards either way."""

import pytest

from grants.awards.models import Award
from grants.awards.selectors import awards_for_user, portfolio
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


def test_a_managers_awards_are_the_portfolio_in_one_flat_filter(personas):
    world = build_world(personas)
    manager = personas.programme_manager
    mine = awards_for_user(user=manager)
    assert set(mine.values_list("pk", flat=True)) == set(portfolio(user=manager).values_list("pk", flat=True))
    assert world.award.pk in set(mine.values_list("pk", flat=True))
    sql = str(mine.order_by("pk").values("pk").query)
    assert "IN (SELECT" not in sql.upper(), sql
    assert mine.count() == Award.objects.filter(round__programme__in=[world.round.programme]).count()
