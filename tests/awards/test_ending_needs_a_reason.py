"""Declining an offer, withdrawing it and terminating an award all end it, and the other side is
told why: a blank reason is refused against the reason field (nothing changes, nobody is told),
and the reason recorded is the one sent, without stray spaces."""

import pytest

from grants.awards import services as s
from grants.awards.models import Award, AwardStatus
from grants.models import AuditEvent
from notifications.models import Notification

from .factories import AwardFactory

pytestmark = pytest.mark.django_db
A = AwardStatus


def _decline(personas, award, reason):
    return s.award_decline(award=award, actor=personas.signatory, reason=reason)


def _withdraw(personas, award, reason):
    return s.award_end(award=award, actor=personas.programme_manager, to=A.WITHDRAWN, reason=reason)


def _terminate(personas, award, reason):
    return s.award_end(award=award, actor=personas.programme_manager, to=A.TERMINATED, reason=reason)


CASES = [
    (_decline, A.OFFERED, A.DECLINED, "award_declined", "Enter why your council is declining the offer"),
    (_withdraw, A.OFFERED, A.WITHDRAWN, "award_ended", "Enter a reason"),
    (_terminate, A.ACTIVE, A.TERMINATED, "award_ended", "Enter a reason"),
]


@pytest.mark.parametrize(("end", "start", "to", "event", "missing"), CASES)
def test_a_blank_reason_is_refused_and_nothing_happens(personas, end, start, to, event, missing):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=start)
    with pytest.raises(s.AwardError) as refused:
        end(personas, award, "   ")
    assert refused.value.message_dict == {"reason": [missing]}
    assert Award.objects.get(pk=award.pk).status == start
    assert not Notification.objects.filter(event=event).exists()


@pytest.mark.parametrize(("end", "start", "to", "event", "missing"), CASES)
def test_the_reason_recorded_is_the_reason_sent(personas, end, start, to, event, missing):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=start)
    end(personas, award, "  Council reorganised \n")
    assert Award.objects.get(pk=award.pk).status == to
    sent = Notification.objects.filter(event=event)
    assert sent.exists() and {n.context["reason"] for n in sent} == {"Council reorganised"}
    audit = AuditEvent.objects.filter(target_id=str(award.pk), data__to=to).get()
    assert audit.data["reason"] == "Council reorganised"
