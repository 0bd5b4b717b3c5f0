from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Assessment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications.permissions import bid_viewer_register

        from . import exports, reminders  # noqa: F401  register the assessment downloads and the scoring reminder
        from .permissions import assessor_can_view_bid

        bid_viewer_register(assessor_can_view_bid)
