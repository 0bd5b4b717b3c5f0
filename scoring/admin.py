"""Admin: panels and members are set up here; scores and decisions are read-only records."""

from django.contrib import admin

from .models import (
    Assessment,
    Assignment,
    Criterion,
    Decision,
    Declaration,
    Interest,
    ModeratedScore,
    Panel,
    PanelMember,
    Score,
)


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["__str__", "assessors_per_bid", "moderation_threshold"]
    inlines = [PanelMemberInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "round", "scale", "weight", "order"]
    list_filter = ["round"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept for audit: changed only through the services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["bid", "assessor", "assigned_at", "withdrawn_at", "needs_reassignment"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["bid", "assignment", "status", "submitted_version", "percentage", "gateway_failed"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "criterion", "version", "score"]


@admin.register(ModeratedScore)
class ModeratedScoreAdmin(ReadOnlyAdmin):
    list_display = ["bid", "criterion", "score", "moderated_by", "created_at", "is_current"]


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ["round", "user", "confirmed_at"]


@admin.register(Interest)
class InterestAdmin(ReadOnlyAdmin):
    list_display = ["round", "user", "organisation", "bid", "declared_at"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["bid", "outcome", "amount", "status", "confirmed_at"]
