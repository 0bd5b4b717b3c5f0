from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Assessment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications.permissions import bid_bar_register, bid_viewer_register, clarification_asker_register
        from grants.awards.selectors import round_committed_unissued_register

        from .permissions import ConflictBar, assessor_can_view_bid
        from .selectors import funded_unissued

        bid_viewer_register(assessor_can_view_bid)
        clarification_asker_register(assessor_can_view_bid)  # Issue 16: an assigned assessor may ask the council
        bid_bar_register(ConflictBar)  # a conflict of interest shuts the bid's council doors too
        round_committed_unissued_register(funded_unissued)  # confirmed decisions count before their award
