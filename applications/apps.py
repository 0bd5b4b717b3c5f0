from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Bids"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from grants.selectors import bid_eligibility_register

        from .services.eligibility import bid_eligibility

        bid_eligibility_register(bid_eligibility)  # the round page answers as the start page does
