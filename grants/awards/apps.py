from django.apps import AppConfig


class AwardsConfig(AppConfig):
    """Awards after a decision: offer, payments, milestones, returns, variations, closure.

    Nested in grants/ for history, but an app of its own (label `awards`) above applications, so
    reference data never imports it."""

    name = "grants.awards"
    label = "awards"
    verbose_name = "Awards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from grants.selectors import round_committed_provider_register
        from grants.services import round_opening_step_register

        from .selectors import round_committed
        from .services import return_schedule_default

        round_committed_provider_register(round_committed)
        round_opening_step_register(return_schedule_default)  # a round opens with its return schedule
