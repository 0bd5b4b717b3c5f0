from decimal import Decimal

import pytest

from applications.models import BidPartner, BidStatus, PartnerStatus
from grants.awards.models import Award, AwardStatus
from grants.awards.services import AwardError, award_issue
from grants.models import AuditEvent
from notifications.models import Notification

from .factories import FundedBidFactory

pytestmark = pytest.mark.django_db


def test_issue_creates_offer_with_partners_tranche_audit_and_notice(personas):
    bid = FundedBidFactory(round=personas.round, lead=personas.lead_org)
    BidPartner.objects.create(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    award = award_issue(
        bid=bid, amount=Decimal("35000"), actor=personas.programme_manager, conditions="Report quarterly"
    )

    award.refresh_from_db()
    assert award.status == AwardStatus.OFFERED
    assert award.reference == bid.reference
    assert award.amount == Decimal("35000.00")
    assert award.lead == personas.lead_org
    assert list(award.partners.all()) == [personas.partner_org]
    assert [t.amount for t in award.tranches.all()] == [Decimal("35000.00")]
    assert AuditEvent.objects.filter(action="award.offered", target_id=str(award.pk)).exists()
    recipients = set(Notification.objects.filter(event="award_offered").values_list("recipient__email", flat=True))
    assert recipients == {"lead@example.com", "signatory@example.com"}


def test_issue_twice_returns_the_same_award(personas):
    bid = FundedBidFactory(round=personas.round, lead=personas.lead_org)
    first = award_issue(bid=bid, amount=Decimal("1000"), actor=None)
    second = award_issue(bid=bid, amount=Decimal("1000"), actor=None)
    assert first.pk == second.pk
    assert Award.objects.count() == 1


@pytest.mark.parametrize("status", [BidStatus.SUBMITTED, BidStatus.NOT_FUNDED, BidStatus.RESERVE])
def test_issue_refuses_unfunded_bid(personas, status):
    bid = FundedBidFactory(round=personas.round, lead=personas.lead_org, status=status)
    with pytest.raises(AwardError):
        award_issue(bid=bid, amount=Decimal("1000"), actor=None)
    assert not Award.objects.exists()


def test_issue_refuses_zero_amount(personas):
    bid = FundedBidFactory(round=personas.round, lead=personas.lead_org)
    with pytest.raises(AwardError):
        award_issue(bid=bid, amount=Decimal("0"), actor=None)
