"""The award sections of a round's sub-navigation (grants.core.round_nav): the round's awards (the
portfolio, filtered to the round) and its monitoring set-up."""

from django.urls import reverse

from grants.core.round_nav import round_section
from grants.permissions import can_view_programme

from .permissions import can_view_portfolio


def _views(user, round) -> bool:
    return can_view_programme(user, round.programme)


def _sees_awards(user, round) -> bool:
    return can_view_portfolio(user) and can_view_programme(user, round.programme)


round_section(
    "Awards",
    "awards:portfolio",
    order=70,
    may=_sees_awards,
    href=lambda round: f"{reverse('awards:portfolio')}?round={round.slug}",
)
round_section("Monitoring", "awards:round_monitoring", order=75, may=_views, pages=("awards:return_period_edit",))
