from django.contrib import admin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "channel", "event", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status", "event"]
    search_fields = ["recipient__email", "subject", "dedupe_key"]
    raw_id_fields = ["recipient", "programme"]
    # Status moves only through the services (deliver, resend), which lock the row and audit the
    # change: an edit here could mark an unsent email sent, or send one twice.
    readonly_fields = ["created_at", "status", "sent_at", "attempts", "last_error", "dedupe_key"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "daily_digest", "round_opening_alerts", "updated_at"]
    raw_id_fields = ["user"]
