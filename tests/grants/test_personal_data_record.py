"""The record of processing (grants.core.personal_data) is complete and true to the schema.

Introspects every installed model, project, Django and allauth alike: a field that holds personal
data (a link to a person, an email address, a name that says so) must be declared in its app's
personal_data.py, or written down as not personal with a reason. So a new model or field cannot
hold personal data the privacy notice, the export and erasure do not know about."""

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from grants.core.personal_data import (
    LAWFUL_BASES,
    holding_for,
    holdings,
    is_declared_not_personal,
    looks_personal,
    retention_rules,
)
from tests import factories as f


def _fields(model):
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # a reverse relation: declared on the model that holds the link
        yield field


def test_every_field_that_holds_personal_data_is_declared():
    missing = []
    for model in apps.get_models():
        holding = holding_for(model)
        for field in _fields(model):
            if not looks_personal(field) or is_declared_not_personal(model, field.name):
                continue
            if holding is None or field.name not in holding.fields:
                missing.append(f"{model._meta.label}.{field.name}")
    assert not missing, f"Declare these in the app's personal_data.py (or as not personal): {missing}"


def test_the_record_covers_django_and_allauth_models():
    declared = {h.model for h in holdings()}
    assert {
        "grants.user",
        "account.emailaddress",
        "mfa.authenticator",
        "sessions.session",
        "admin.logentry",
    } <= declared


def test_every_declaration_names_real_fields_a_basis_and_a_rule():
    for h in holdings():
        model = h.model_class
        for name in (*h.fields, *h.files, *h.secret, *h.blank, *h.labels):
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                pytest.fail(f"{h.model} declares {name!r}, which it does not have")
        assert h.basis in LAWFUL_BASES and h.purpose and h.about
        assert h.on_erasure != "delete" or h.person, f"{h.model}: erasure deletes rows it cannot find"


@pytest.mark.django_db
def test_every_link_to_a_person_is_a_working_query():
    user = f.UserFactory()
    for h in holdings():
        list(h.rows_of(user))


def test_each_retention_rule_is_registered():
    assert set(retention_rules()) == {"email_bodies", "abandoned_drafts", "closed_accounts", "export_files"}
