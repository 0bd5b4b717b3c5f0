"""The assessment sections of a round's sub-navigation (grants.core.round_nav), each shown to whoever
its views let in (scoring.permissions)."""

from grants.core.round_nav import round_section

from .permissions import can_manage_round, can_moderate, can_view_results

round_section(
    "Panel and criteria",
    "scoring:panel",
    order=40,
    may=can_manage_round,
    pages=(
        "scoring:panel_settings",
        "scoring:panel_members",
        "scoring:panel_member_chair",
        "scoring:panel_member_remove",
        "scoring:criterion_create",
        "scoring:criterion_edit",
        "scoring:criterion_delete",
    ),
)
round_section(
    "Assignments", "scoring:assignments", order=45, may=can_manage_round, pages=("scoring:assignment_withdraw",)
)
round_section("Register of interests", "scoring:interests", order=50, may=can_manage_round)
round_section("Moderation", "scoring:moderation", order=55, may=can_moderate, pages=("scoring:moderate_bid",))
round_section(
    "Ranking and decisions",
    "scoring:ranking",
    order=60,
    may=can_view_results,
    pages=("scoring:decision_edit", "scoring:decisions_confirm", "scoring:panel_pack"),
)


def _may_triage(user, round) -> bool:
    """Two-stage rounds only: the triage of their expressions of interest."""
    return round.two_stage and can_view_results(user, round)


round_section(
    "Expressions of interest",
    "scoring:eoi_triage",
    order=38,
    may=_may_triage,
    pages=(
        "scoring:eoi_propose",
        "scoring:eoi_confirm",
        "scoring:eoi_criteria",
        "scoring:eoi_criterion_create",
        "scoring:eoi_criterion_edit",
        "scoring:eoi_criterion_delete",
    ),
)
