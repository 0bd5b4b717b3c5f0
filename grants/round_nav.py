"""The round's own sections of its sub-navigation (grants.core.round_nav): its page and settings."""

from grants.core.round_nav import round_section

from .permissions import can_manage_programme, can_view_programme


def _views(user, round) -> bool:
    return can_view_programme(user, round.programme)


def _manages(user, round) -> bool:
    return can_manage_programme(user, round.programme)


round_section("Round", "grants:round_detail", order=10, may=_views)
round_section("Settings", "grants:staff_round_edit", order=15, may=_manages)
