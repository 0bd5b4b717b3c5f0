"""Emails show money as pages do ("£12,500", "£1,234.50"), through the one formatter.

The context carries the amount as plain text (JSON-safe) and the templates apply the `pounds`
filter; rows queued before that carried "12,500.00" and must still read well when sent.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from grants.awards import services as award_services
from grants.awards.models import AwardStatus
from notifications.models import Notification
from notifications.services import notify, render_email
from tests.awards.factories import AwardFactory, signed_in_request, totp_code
from tests.factories import CouncilOfficerFactory

pytestmark = pytest.mark.django_db


def _pay(personas, amount: Decimal) -> Notification:
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACCEPTED, amount=amount)
    cache.clear()
    award_services.payment_record(
        tranche=award.tranches.get(),
        actor=personas.finance_officer,
        paid_on=timezone.localdate(),
        payment_reference="BACS-1",
        totp_code=totp_code(personas.finance_officer),
        request=signed_in_request(personas.finance_officer),
    )
    return Notification.objects.filter(event="payment_made", recipient=personas.lead_officer).latest("pk")


@pytest.mark.parametrize(("amount", "shown"), [(Decimal("12500.00"), "£12,500"), (Decimal("1234.50"), "£1,234.50")])
def test_payment_email_shows_the_amount_gov_uk_style(personas, amount, shown):
    note = _pay(personas, amount)
    assert note.context["amount"] == str(amount)  # the amount itself, not text for one page
    subject, text, html = render_email(note)
    assert subject.startswith(f"Payment of {shown} for ")
    assert f"We have paid {shown} for" in text
    assert f"We have paid {shown} for" in html
    assert "££" not in text + html
    if amount == amount.to_integral_value():
        assert ".00" not in subject + text + html


def test_a_row_queued_with_the_old_formatted_amount_still_reads_well():
    officer = CouncilOfficerFactory()
    with transaction.atomic():
        row = notify(
            recipient=officer,
            event="payment_made",
            context={"reference": "BI4-000042", "amount": "12,500.00"},
            dedupe_key="payment:old",
            url="/awards/42/",
        )
    subject, text, html = render_email(row)
    assert subject == "Payment of £12,500 for BI4-000042"
    assert "We have paid £12,500 for BI4-000042" in text and "We have paid £12,500 for BI4-000042" in html
