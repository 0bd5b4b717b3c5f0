from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app's reminders.py registers its providers (notifications.reminders.provider); a
        # typo in one fails here, at start-up, rather than as reminders that never go.
        autodiscover_modules("reminders")

        # Issue 16, joining a council: deciders hear of a request, the person of the decision.
        from grants.membership import decided_hook_register, requested_hook_register

        from .membership import membership_decided, membership_requested

        decided_hook_register(membership_decided)
        requested_hook_register(membership_requested)
