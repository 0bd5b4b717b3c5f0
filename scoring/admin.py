"""Admin: read-only. Every change has a page that goes through the services (audit, locks, rules)."""

from django.contrib import admin

from grants.admin import ReadOnlyAdmin, ReadOnlyInline

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


class PanelMemberInline(ReadOnlyInline):
    """Read-only: members are added and removed on the panel page, which audits the change and
    refuses to remove someone who still has bids to assess."""

    model = PanelMember
    fields = ["user", "is_chair"]
    readonly_fields = ["user", "is_chair"]


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    """Settings change on the round's assessment settings page (audited)."""

    list_display = ["__str__", "assessors_per_bid", "moderation_threshold"]
    inlines = [PanelMemberInline]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    """Criteria change on the panel page, which locks them once scoring starts."""

    list_display = ["name", "round", "scale", "weight", "order"]
    list_filter = ["round"]


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
