"""Two finance officers pay at the same moment: the locked award row keeps paid <= awarded."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from grants.awards import services as p
from grants.awards import services as s
from grants.awards.models import AwardStatus, PaymentTranche, TrancheStatus
from grants.models import StaffRole
from tests import factories as f
from tests.conftest import enable_mfa

from .factories import AwardFactory, signed_in_request, totp_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_payments_at_once_never_pass_the_award():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    award = AwardFactory(status=AwardStatus.ACCEPTED, amount=Decimal("30000"), tranche=False)
    # Two tranches that together exceed the award (as if written outside the services).
    t1 = PaymentTranche.objects.create(award=award, number=1, amount=Decimal("20000"), due_on=timezone.localdate())
    t2 = PaymentTranche.objects.create(award=award, number=2, amount=Decimal("20000"), due_on=timezone.localdate())
    officers = []
    for i in range(2):
        user = f.UserFactory(email=f"finance{i}@example.com")
        StaffRole.objects.create(user=user, role=StaffRole.Role.FINANCE_OFFICER)
        enable_mfa(user)
        officers.append(user)
    codes = [totp_code(u) for u in officers]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay(tranche, officer, code):
        try:
            barrier.wait(timeout=10)
            p.payment_record(
                tranche=tranche,
                actor=officer,
                paid_on=timezone.localdate(),
                payment_reference="BACS",
                totp_code=code,
                request=signed_in_request(officer),
            )
            outcomes.append("paid")
        except s.AwardError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=pay, args=(t1, officers[0], codes[0])),
        threading.Thread(target=pay, args=(t2, officers[1], codes[1])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes)[-1] == "paid" and outcomes.count("paid") == 1, outcomes
    assert any("more than the award" in o for o in outcomes), outcomes
    assert PaymentTranche.objects.filter(award=award, status=TrancheStatus.PAID).count() == 1
