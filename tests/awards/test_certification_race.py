"""Two certifiers press "certify" at the same moment: the locked return is certified once, one
audit row, one submission, and the other is told it is no longer awaiting certification."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from grants.awards import services as s
from grants.awards.models import AwardStatus, MonitoringReturn, Rag, ReturnStatus
from grants.models import AuditEvent, OrgRole
from tests import factories as f

from .factories import AwardFactory, ReturnPeriodFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_certifiers_at_once_certify_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    award = AwardFactory(status=AwardStatus.ACTIVE)
    award.round.returns_need_certifying = True
    award.round.save()
    ReturnPeriodFactory(round=award.round, title="Quarter 1", period_end=date(2026, 3, 31))
    s.returns_create(award=award)
    officer = f.UserFactory(email="officer@race.example.com", organisation=award.lead, org_role=OrgRole.OFFICER)
    certifiers = [
        f.UserFactory(email=f"s151-{i}@race.example.com", organisation=award.lead, org_role=OrgRole.CERTIFIER)
        for i in range(2)
    ]
    mreturn = award.returns.get()
    s.return_submit(mreturn=mreturn, actor=officer, rag=Rag.GREEN, commentary="", values={})
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def certify(certifier):
        try:
            barrier.wait(timeout=10)
            s.return_certify(mreturn=MonitoringReturn.objects.get(pk=mreturn.pk), actor=certifier, declaration=True)
            outcomes.append("certified")
        except s.AwardError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=certify, args=(c,)) for c in certifiers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert outcomes.count("certified") == 1, outcomes
    assert any("not awaiting certification" in o for o in outcomes), outcomes
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.SUBMITTED and mreturn.submission_count == 1
    assert AuditEvent.objects.filter(action="return.certified").count() == 1
