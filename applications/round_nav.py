"""The bidding sections of a round's sub-navigation (grants.core.round_nav)."""

from grants.core.round_nav import round_section
from grants.permissions import can_manage_programme, can_view_programme


def _views(user, round) -> bool:
    return can_view_programme(user, round.programme)


def _manages(user, round) -> bool:
    return can_manage_programme(user, round.programme)


round_section(
    "Questions",
    "applications:staff_questions",
    order=20,
    may=_manages,
    pages=(
        "applications:staff_section_create",
        "applications:staff_section_edit",
        "applications:staff_question_create",
        "applications:staff_question_edit",
        "applications:staff_delete",
    ),
)
round_section(
    "Bids",
    "applications:staff_bid_list",
    order=30,
    may=_views,
    pages=("applications:staff_bid_return", "applications:staff_bid_ineligible"),
)
round_section("Extensions", "applications:staff_extensions", order=35, may=_manages)
