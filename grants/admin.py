from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import AuditEvent, Organisation, OrganisationAlias, Programme, Round, StaffRole, User


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "org_role", "is_active"]
    search_fields = ["email", "full_name"]
    list_filter = ["org_role", "is_active"]
    autocomplete_fields = ["organisation"]
    inlines = [StaffRoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "organisation", "org_role")}),
        ("Django", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class AliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "code", "gss_code", "kind", "region", "end_date"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "code", "gss_code", "aliases__name"]
    inlines = [AliasInline]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "funder"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "financial_year", "opens_at", "closes_at", "published"]
    list_filter = ["programme", "published"]
    autocomplete_fields = ["eligible_organisations"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id", "summary"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
