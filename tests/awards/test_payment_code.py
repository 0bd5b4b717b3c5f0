"""The payment's second-factor code: typed with spaces is fine; five wrong codes lock payments
for that finance officer for 15 minutes, on the record. The code is checked by allauth's
reauthentication form and the lock is allauth's rate limit `payment_code` (ACCOUNT_RATE_LIMITS)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from grants.awards import services as p
from grants.awards import services as s
from grants.awards.models import AwardStatus, TrancheStatus
from grants.models import AuditEvent
from tests.conftest import enable_mfa

from .factories import AwardFactory, signed_in_request, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def tranche(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACCEPTED)
    return award.tranches.get()


def _pay(user, tranche, code: str, **request):
    return p.payment_record(
        tranche=tranche,
        actor=user,
        paid_on=timezone.localdate(),
        payment_reference="BACS-9",
        totp_code=code,
        request=signed_in_request(user, **request),
    )


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1000000:06d}"


def test_code_typed_with_a_space_is_accepted(personas, client_for, tranche):
    code = totp_code(personas.finance_officer)
    response = client_for(personas.finance_officer).post(
        reverse("awards:payment", args=[tranche.award_id, tranche.pk]),
        {
            "paid_on": timezone.localdate().isoformat(),
            "payment_reference": "BACS-9",
            "totp_code": f"{code[:3]} {code[3:]}",
        },
    )
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PAID


def test_five_wrong_codes_lock_payments_for_fifteen_minutes(personas, tranche):
    officer = personas.finance_officer
    for _ in range(4):
        with pytest.raises(s.AwardError, match="current code"):
            _pay(officer, tranche, _wrong(totp_code(officer)))
    assert not AuditEvent.objects.filter(action="award.payment_code_locked").exists()
    with pytest.raises(s.AwardError, match="too many times"):
        _pay(officer, tranche, _wrong(totp_code(officer)))
    event = AuditEvent.objects.get(action="award.payment_code_locked")
    assert event.actor == officer and event.target_id == str(tranche.award_id)
    # Locked: even the right code is refused, and the lock is not an attempt that is counted.
    with pytest.raises(s.AwardError, match="too many times"):
        _pay(officer, tranche, totp_code(officer))
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED
    # Another finance officer is not locked out. (One in the same office, at the same address,
    # waits out allauth's limit on failed sign-ins from an address: 5 in 5 minutes.)
    colleague = type(officer).objects.create_user(email="finance2@example.com", password="x")
    colleague.staff_roles.create(role="finance_officer")
    enable_mfa(colleague)
    _pay(colleague, tranche, totp_code(colleague), address="192.0.2.7")
    assert AuditEvent.objects.filter(action="award.payment_code_locked").count() == 1


@pytest.mark.skipif(
    "LocMem" not in settings.CACHES["default"]["BACKEND"], reason="travels in time: Redis keys expire on Redis's clock"
)
def test_lock_ends_after_fifteen_minutes(personas, tranche):
    officer = personas.finance_officer
    other = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACCEPTED).tranches.get()
    for _ in range(5):
        with pytest.raises(s.AwardError):
            _pay(officer, tranche, "000000" if totp_code(officer) != "000000" else "111111")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        _pay(officer, other, totp_code(officer))
    other.refresh_from_db()
    assert other.status == TrancheStatus.PAID and other.amount == Decimal("30000.00")


def test_a_right_code_resets_the_count(personas, tranche):
    officer = personas.finance_officer
    other = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACCEPTED).tranches.get()
    for _ in range(4):
        with pytest.raises(s.AwardError):
            _pay(officer, tranche, _wrong(totp_code(officer)))
    _pay(officer, other, totp_code(officer))
    for _ in range(4):
        with pytest.raises(s.AwardError, match="current code"):
            _pay(officer, tranche, _wrong(totp_code(officer)))


@pytest.mark.skipif(
    "LocMem" not in settings.CACHES["default"]["BACKEND"], reason="travels in time: Redis keys expire on Redis's clock"
)
def test_lock_outlasts_allauths_five_minute_sign_in_limit(personas, tranche):
    officer = personas.finance_officer
    for _ in range(5):
        with pytest.raises(s.AwardError):
            _pay(officer, tranche, _wrong(totp_code(officer)))
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        with pytest.raises(s.AwardError, match="too many times"):
            _pay(officer, tranche, totp_code(officer))
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED


def test_wrong_codes_are_refused_on_the_page_then_lock(personas, client_for, tranche):
    officer = personas.finance_officer
    client = client_for(officer)
    url = reverse("awards:payment", args=[tranche.award_id, tranche.pk])

    def post(code: str):
        data = {"paid_on": timezone.localdate().isoformat(), "payment_reference": "BACS-9", "totp_code": code}
        return client.post(url, data)

    for _ in range(4):
        response = post(_wrong(totp_code(officer)))
        assert response.status_code == 200
        assert "Enter a current code from your authenticator app" in response.text
    response = post(_wrong(totp_code(officer)))
    assert response.status_code == 200 and "wrong code too many times" in response.text
    response = post(totp_code(officer))
    assert response.status_code == 200 and "wrong code too many times" in response.text
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED


def test_code_is_only_taken_from_a_post(personas, tranche):
    """allauth's rate limits do not count GET requests, so a GET could guess codes for ever."""
    officer = personas.finance_officer
    with pytest.raises(s.AwardError, match="current code"):
        _pay(officer, tranche, totp_code(officer), method="get")
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED


def test_only_the_officer_signed_in_can_approve(personas, tranche):
    officer = personas.finance_officer
    with pytest.raises(s.AwardError, match="signed in"):
        p.payment_record(
            tranche=tranche,
            actor=officer,
            paid_on=timezone.localdate(),
            payment_reference="BACS-9",
            totp_code=totp_code(officer),
            request=signed_in_request(personas.programme_manager),
        )
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED


def test_a_colleague_at_the_same_address_waits_out_allauths_limit(personas, tranche):
    """Wrong codes count as failed sign-ins from that address (allauth: 5 in 5 minutes), so a
    colleague in the same office is asked to wait a few minutes, without a lock on the record."""
    officer = personas.finance_officer
    for _ in range(5):
        with pytest.raises(s.AwardError):
            _pay(officer, tranche, _wrong(totp_code(officer)))
    colleague = type(officer).objects.create_user(email="finance2@example.com", password="x")
    colleague.staff_roles.create(role="finance_officer")
    enable_mfa(colleague)
    with pytest.raises(s.AwardError, match="Wait a few minutes"):
        _pay(colleague, tranche, totp_code(colleague))
    assert not AuditEvent.objects.filter(action="award.payment_code_locked", actor=colleague).exists()
