from django.contrib import admin

from .models import Answer, Bid, BidPartner, EvidenceFile, Extension, OtherPartner, Question, Section


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "round", "order"]
    list_filter = ["round"]
    inlines = [QuestionInline]


class PartnerInline(admin.TabularInline):
    model = BidPartner
    extra = 0
    raw_id_fields = ["organisation", "confirmed_by"]


class OtherPartnerInline(admin.TabularInline):
    model = OtherPartner
    extra = 0


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    """Read-mostly: status changes must go through the services so they are audited."""

    list_display = ["reference", "title", "lead", "round", "status", "amount_requested", "submitted_at"]
    list_filter = ["status", "round"]
    search_fields = ["reference", "title", "lead__short_name"]
    raw_id_fields = ["lead", "created_by", "declared_by", "collaborators"]
    readonly_fields = ["status", "reference", "reference_number", "submitted_at", "status_reason"]
    inlines = [PartnerInline, OtherPartnerInline]


admin.site.register(Answer)
# The file's own fields first, as before its shared fields came from grants.core.uploads.StoredFile.
admin.site.register(
    EvidenceFile, fields=["bid", "question", "file", "original_name", "content_type", "size", "uploaded_by"]
)
admin.site.register(Extension)
