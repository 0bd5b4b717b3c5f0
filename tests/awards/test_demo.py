from decimal import Decimal

import pytest

from grants import demo as grants_demo
from grants.awards import demo
from grants.awards.models import Award, AwardStatus, OutputValue
from grants.awards.selectors import award_totals, round_totals
from grants.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_demo_awards_are_idempotent_and_carry_the_reported_figures():
    # The awards seed runs on the grants seed alone (seed_demo runs every app's; tested in tests/grants).
    context = grants_demo.seed()
    demo.seed(context=context)
    counts = (Award.objects.count(), OutputValue.objects.count())
    demo.seed(context=grants_demo.seed())
    assert (Award.objects.count(), OutputValue.objects.count()) == counts
    phase1 = Award.objects.filter(round__slug="bi-phase-1")
    assert sorted(a.lead.short_name for a in phase1) == ["Leeds", "Lincolnshire", "Liverpool"]
    assert {a.amount for a in phase1} == {Decimal("50000.00")}
    phase2 = Award.objects.filter(round__slug="bi-phase-2")
    assert phase2.count() == 4 and {a.amount for a in phase2} == {Decimal("30000.00")}
    assert Award.objects.get(reference="BI2-000004").partners.count() == 5
    warrington = {
        v.output.kind: v.value for v in OutputValue.objects.filter(monitoring_return__award__reference="BI3-000001")
    }
    assert warrington["savings"] == Decimal("8500") and warrington["cost_avoidance"] == Decimal("133000")
    # Channel Shift: 23 councils, 2 of which returned their funding (history/digital.xlsx).
    cs = Award.objects.filter(round__slug="channel-shift")
    assert cs.count() == 23 and cs.filter(status=AwardStatus.TERMINATED).count() == 2
    totals = round_totals(round=cs.first().round)
    assert totals["returned"] == Decimal("80000.00") and totals["net"] == totals["paid"] - Decimal("80000.00")
    returned = cs.filter(status=AwardStatus.TERMINATED).first()
    assert award_totals(award=returned)["net"] == Decimal("0.00")
    assert returned.status_reason == "Funding returned: the council could not proceed"
    ope7 = Award.objects.filter(round__slug="ope-phase-7", status=AwardStatus.COMPLETED)
    assert ope7.count() == 59 and sum(a.amount for a in ope7) == Decimal("15000000.00")
    # Every award of the history workbooks is in, once (and Kent's Digital Transformation award, made in Python).
    assert Award.objects.filter(is_historic=True).exclude(reference="DTR-000001").count() == 477
    # BI phase 2 was match funded: each council matched its £30,000.
    assert {a.match_funding for a in phase2} == {Decimal("30000.00")}
    assert not Award.objects.exclude(round__slug="bi-phase-2").exclude(match_funding=0).exists()
    # Entered through award_create_historic: one audit row per award, not one per run.
    historic = Award.objects.filter(is_historic=True)
    audited = AuditEvent.objects.filter(action="award.historic", target_type="awards.award")
    assert audited.count() == historic.count() == Award.objects.count()
    assert set(audited.values_list("target_id", flat=True)) == {str(pk) for pk in historic.values_list("pk", flat=True)}
