"""The admin is for looking things up: records changed through the staff pages' services (which
check and audit) are read-only there, even to a superuser, inlines included."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from grants.admin import ReadOnlyAdmin, ReadOnlyInline
from grants.models import AuditEvent, Organisation, OrganisationAlias
from tests import factories as f
from tests.conftest import enable_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    user = f.UserFactory(email="super@example.com", is_staff=True, is_superuser=True)
    enable_mfa(user)
    return user


def _read_only_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ReadOnlyAdmin)
    ]


def test_every_read_only_admin_and_inline_refuses_add_change_and_delete(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    pairs = _read_only_admins()
    assert {Organisation, AuditEvent} <= {model for model, _ in pairs}
    inlines = [
        inline
        for _, model_admin in pairs
        for inline in model_admin.get_inline_instances(request)
        if isinstance(inline, ReadOnlyInline)
    ]
    assert OrganisationAlias in {inline.model for inline in inlines}
    for item in [model_admin for _, model_admin in pairs] + inlines:
        obj = item.model.objects.first()
        # a ModelAdmin is asked about adding with the request alone, an inline with the parent too
        add_args = (request, obj) if isinstance(item, ReadOnlyInline) else (request,)
        assert item.has_add_permission(*add_args) is False, item
        assert item.has_change_permission(request, obj) is False, item
        assert item.has_delete_permission(request, obj) is False, item
        assert item.has_view_permission(request, obj) is True, item


def test_a_superuser_cannot_add_or_delete_an_organisation_through_the_admin(client, superuser):
    organisation = f.OrganisationFactory(name="Testshire County Council", short_name="Testshire")
    client.force_login(superuser)
    assert client.get("/admin/grants/organisation/").status_code == 200
    assert client.get("/admin/grants/organisation/add/").status_code == 403
    response = client.post(f"/admin/grants/organisation/{organisation.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()
