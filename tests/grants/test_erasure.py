"""Erasure: the person is anonymised everywhere; grant records and the audit trail stay."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse

from applications.models import Bid, EvidenceFile
from grants import people
from grants.core.audit import audit_record
from grants.erasure import erasure_refusal, person_erase
from grants.models import AuditEvent, StaffRole, User
from notifications.models import Notification
from tests import factories as f
from tests.applications.factories import BidFactory
from tests.conftest import enable_mfa

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Zebedee Quartermain", "zebedee.q@testshire.gov.uk"


def holding(text: str) -> list[str]:
    """Every text or JSON column of every model that contains `text` (case-insensitive)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            column = Cast(field.name, TextField()) if isinstance(field, models.JSONField) else models.F(field.name)
            rows = model._base_manager.annotate(_t=column).filter(Q(_t__icontains=text))
            found += [f"{model._meta.label}.{field.name}#{pk}" for pk in rows.values_list("pk", flat=True)]
    return found


@pytest.fixture
def person(personas, client_for):
    zeb = f.CouncilOfficerFactory(organisation=personas.lead_org, org_role="officer", full_name="Zeb Q", email=EMAIL)
    people.user_update(  # the old name stays in this change's audit data
        actor=personas.administrator, user=zeb, organisation=personas.lead_org, org_role="officer", full_name=NAME
    )
    enable_mfa(zeb)
    bid = BidFactory(round=personas.round, lead=personas.lead_org, created_by=zeb, declaration_name=NAME)
    EvidenceFile.objects.create(
        bid=bid,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4", content_type="application/pdf"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=zeb,
    )
    audit_record(actor=zeb, action="bid.started", target=bid, summary=f"Started by {NAME} ({EMAIL})")
    Notification.objects.create(
        recipient=zeb, channel="email", event="bid_submitted", subject=f"Dear {NAME}", context={"who": NAME}
    )
    Notification.objects.create(
        recipient=personas.lead_officer, channel="email", event="bid_submitted", subject="A colleague's bid",
        context={"by": NAME, "email": EMAIL.upper()},
    )  # fmt: skip
    signed_in = client_for(zeb)
    signed_in.get(reverse("grants:round_list"))
    return zeb, bid, signed_in


def _erase(client, person, reason=f"Request from {NAME}, ticket 12"):
    return client.post(reverse("grants:staff_user_erase", args=[person.pk]), {"reason": reason, "confirm": "on"})


def test_after_erasure_no_column_anywhere_holds_the_old_name_or_email(personas, client_for, person):
    zeb, bid, _ = person
    assert holding(NAME) and holding(EMAIL) and holding("Zeb Q")
    response = _erase(client_for(personas.administrator), zeb)
    assert response.status_code == 302
    assert holding(NAME) == [] and holding(EMAIL) == [] and holding("Zeb Q") == []
    zeb.refresh_from_db()
    assert zeb.full_name == f"Erased person {zeb.pk}" and zeb.email.endswith("@erased.invalid")
    bid.refresh_from_db()
    assert bid.declaration_name == f"Erased person {zeb.pk}"
    assert personas.lead_officer.full_name and holding(personas.lead_officer.email)  # nobody else is touched


def test_grant_records_and_the_audit_trail_stay(personas, client_for, person):
    zeb, bid, _ = person
    before = {m: m.objects.count() for m in (Bid, EvidenceFile, Notification)}
    audit_before = dict(AuditEvent.objects.values_list("pk", "actor_id"))
    _erase(client_for(personas.administrator), zeb)
    assert {m: m.objects.count() for m in before} == before
    after = dict(AuditEvent.objects.values_list("pk", "actor_id"))
    assert {pk: after[pk] for pk in audit_before} == audit_before  # same rows, same actors
    assert len(after) == len(audit_before) + 1
    erased = AuditEvent.objects.get(action="user.erased")
    assert erased.actor == personas.administrator and erased.target_id == str(zeb.pk)
    assert "ticket 12" in erased.summary and NAME not in erased.summary
    assert Bid.objects.get(pk=bid.pk).created_by_id == zeb.pk
    assert Notification.objects.get(recipient=zeb).context == {}


def test_the_erased_person_cannot_sign_in(personas, client_for, person):
    zeb, _, signed_in = person
    _erase(client_for(personas.administrator), zeb)
    zeb.refresh_from_db()
    assert not zeb.is_active and not zeb.has_usable_password()
    assert not EmailAddress.objects.filter(user=zeb).exists()
    assert not Authenticator.objects.filter(user=zeb).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(zeb.pk)]
    assert signed_in.get(reverse("notifications:centre")).status_code == 302
    fresh = Client()
    assert not fresh.login(email=EMAIL, password=f.PASSWORD)
    assert fresh.post(reverse("account_login"), {"login": EMAIL, "password": f.PASSWORD}).status_code == 200


def test_a_reason_and_a_confirmation_are_required(personas, client_for, person):
    zeb = person[0]
    admin = client_for(personas.administrator)
    page = admin.post(reverse("grants:staff_user_erase", args=[zeb.pk]), {"reason": "Asked by phone"})
    text = page.content.decode()
    assert "Confirm that you understand erasure cannot be undone" in text and "Asked by phone" in text
    assert 'class="govuk-button govuk-button--warning"' in text  # GOV.UK's red button for what cannot be undone
    page = admin.post(reverse("grants:staff_user_erase", args=[zeb.pk]), {"reason": "", "confirm": "on"})
    assert "Enter the reason" in page.content.decode()
    assert User.objects.get(pk=zeb.pk).email == EMAIL


def test_nobody_erases_themselves_or_the_last_administrator(personas, client_for):
    admin = personas.administrator
    page = _erase(client_for(admin), admin)
    assert page.status_code == 200 and "You cannot erase yourself" in page.content.decode()
    assert User.objects.get(pk=admin.pk).email == admin.email
    assert "last administrator" in erasure_refusal(actor=None, person=admin)
    second = f.UserFactory()
    StaffRole.objects.create(user=second, role=StaffRole.Role.ADMINISTRATOR)
    assert erasure_refusal(actor=second, person=admin) == ""
    person_erase(actor=second, person=admin, reason="Left the funder")
    admin.refresh_from_db()
    assert "already been erased" in erasure_refusal(actor=second, person=admin)
    assert "last administrator" in erasure_refusal(actor=None, person=second)


@pytest.mark.parametrize("who", ["programme_manager", "lead_officer"])
def test_only_administrators_may_erase(personas, client_for, person, who):
    assert _erase(client_for(getattr(personas, who)), person[0]).status_code == 403
    assert User.objects.get(pk=person[0].pk).email == EMAIL


@pytest.mark.postgres
def test_erasure_may_rewrite_only_the_text_of_audit_rows(personas):
    """The append-only trigger lets an erasure (its transaction-local flag on) change an audit
    row's summary and data; its time, actor, action and target stay refused, as does DELETE."""
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    event = audit_record(actor=personas.lead_officer, action="bid.started", target=personas.round, summary=NAME)
    rows = AuditEvent.objects.filter(pk=event.pk)

    def flagged(change):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('grantbench.erasure', 'on', true)")
            change()
            cursor.execute("SELECT set_config('grantbench.erasure', 'off', true)")  # as the service does

    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(summary="Erased person")  # no flag: refused as before
    for change in (
        lambda: rows.update(actor=personas.administrator),
        lambda: rows.update(action="bid.submitted"),
        lambda: rows.update(target_id="0"),
        lambda: rows.delete(),
    ):
        with pytest.raises(IntegrityError):
            flagged(change)
    flagged(lambda: rows.update(summary="Erased person", data={"x": 1}))
    assert rows.get().summary == "Erased person"
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(summary="Again")  # the flag is off again


def test_erasure_deletes_the_persons_api_tokens(personas, person):
    """A token would let a system go on reading as the erased person: the record says delete."""
    from datetime import timedelta

    from grants.api.models import ApiToken
    from grants.api.services import create_token, token_for_secret

    zeb = person[0]
    _, secret = create_token(user=zeb, name="Finance system", lifetime=timedelta(days=30))
    kept, _ = create_token(user=personas.lead_officer, name="Colleague's export", lifetime=timedelta(days=30))
    person_erase(actor=personas.administrator, person=zeb, reason="Subject asked, ticket 9")
    assert not ApiToken.objects.filter(user=zeb).exists() and token_for_secret(secret) is None
    assert ApiToken.objects.filter(pk=kept.pk).exists()
