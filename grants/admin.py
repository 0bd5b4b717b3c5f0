"""The Django admin, for looking things up. Changes to people's organisations and roles,
programmes, rounds and organisations go through the GOV.UK staff pages, whose services check
them and write the audit trail; here those records are read-only. The audit trail itself can
never be added to, changed or deleted by hand.

Only superusers with two-factor on may enter, and only through allauth's sign-in (grants.entrances).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from grants.core.audit import audit_record

from .entrances import admin_login, admin_may_enter
from .models import AuditEvent, Organisation, OrganisationAlias, Programme, Round, StaffRole, User

admin.site.login = admin_login
admin.site.has_permission = admin_may_enter


class ReadOnlyMixin:
    """Nobody adds, changes or deletes these records here, not even a superuser: the staff pages'
    services check and audit every change, and the admin would do neither."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class StaffRoleInline(ReadOnlyInline):
    model = StaffRole


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts may be added, switched off or given a new password here (each change audited);
    organisation, organisation role and staff roles are set on the People and roles pages."""

    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "org_role", "is_active"]
    search_fields = ["email", "full_name"]
    list_filter = ["org_role", "is_active"]
    inlines = [StaffRoleInline]
    readonly_fields = [
        "full_name",
        "organisation",
        "org_role",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
    ]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person (change on the People and roles pages)", {"fields": ("full_name", "organisation", "org_role")}),
        ("Django", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def has_delete_permission(self, request, obj=None):
        return False  # switch an account off instead: bids, scores and the audit trail point at people

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [name for name in form.changed_data if name not in ("password", "password1", "password2")]
        if change and not changed and not {"password"} & set(form.changed_data):
            return
        audit_record(
            actor=request.user,
            action="user.admin_change" if change else "user.admin_create",
            target=obj,
            summary=f"{'Changed' if change else 'Added'} {obj.email} in the Django admin",
            data={"fields": changed},
        )


class AliasInline(ReadOnlyInline):
    model = OrganisationAlias


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["short_name", "code", "gss_code", "kind", "region", "end_date"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "code", "gss_code", "aliases__name"]
    inlines = [AliasInline]


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "funder"]
    search_fields = ["name", "code"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "financial_year", "opens_at", "closes_at", "published"]
    list_filter = ["programme", "published"]
    search_fields = ["name", "slug", "reference_prefix"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id", "summary"]
    list_filter = ["action"]
    search_fields = ["action", "target_type", "target_id", "summary"]
