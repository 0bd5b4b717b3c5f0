"""Reach: distinct councils involved in a programme as at a date (grants.reporting.reach)."""

from datetime import date
from decimal import Decimal

import pytest

from grants.awards import services
from grants.awards.models import AwardStatus
from grants.awards.services import AwardError
from grants.models import OrgKind
from grants.reporting.reach import councils_reached, england_councils
from tests import factories as f
from tests.awards.factories import AwardFactory

pytestmark = pytest.mark.django_db

DAY = date(2019, 6, 30)


def _award(rnd, lead, partners=(), day=date(2019, 4, 1), status=AwardStatus.ACTIVE):
    award = AwardFactory(round=rnd, lead=lead, award_date=day, status=status)
    award.partners.set(partners)
    return award


def test_england_councils_follow_the_register():
    """The register's councils (loaded by migration): 317 today, 353 in 2018, neither a council
    nor its successor lost or doubled at the 31 March 2019 quarter end."""
    assert england_councils(date(2026, 1, 1)) == 317
    assert england_councils(date(2018, 6, 30)) == 353
    assert england_councils(date(2019, 3, 31)) == 353
    assert england_councils(date(2019, 4, 1)) == 343


def test_a_partner_of_two_awards_and_a_lead_who_is_a_partner_count_once(personas):
    rnd = personas.round
    kent, medway, leeds = personas.lead_org, personas.partner_org, personas.other_org
    _award(rnd, kent, [medway])
    _award(rnd, leeds, [medway, kent])  # medway a partner twice; kent leads one and partners the other
    reach = councils_reached([rnd.programme_id], DAY)[rnd.programme_id]
    assert reach.councils == 3
    assert reach.partnerships == 0
    total = england_councils(DAY)
    assert reach.england_councils == total
    assert reach.share_percent == (Decimal(300) / total).quantize(Decimal("0.1"))


def test_awards_that_do_not_stand_or_came_later_and_bodies_that_are_not_councils_do_not_count(personas):
    rnd = personas.round
    police = f.OrganisationFactory(kind=OrgKind.POLICE, code=None)
    _award(rnd, personas.lead_org, [police])
    _award(rnd, personas.other_org, status=AwardStatus.DECLINED)
    _award(rnd, personas.partner_org, day=date(2019, 7, 1))
    other = f.RoundFactory(programme=personas.other_programme)
    _award(other, personas.other_org)
    reach = councils_reached([rnd.programme_id, personas.other_programme.pk], DAY)
    assert reach[rnd.programme_id].councils == 1
    assert reach[personas.other_programme.pk].councils == 1
    assert councils_reached([rnd.programme_id], date(2019, 7, 1))[rnd.programme_id].councils == 2


def _partnership(programme, lead, members, formed=date(2017, 1, 1)):
    return services.partnership_create(
        programme=programme, name="Kent and Medway", lead=lead, formed_on=formed, actor=None, members=members
    )


def test_members_count_as_at_the_date_not_as_at_the_award(personas):
    rnd = personas.round
    kent, medway, leeds = personas.lead_org, personas.partner_org, personas.other_org
    late, gone = f.OrganisationFactory(), f.OrganisationFactory()
    p = _partnership(rnd.programme, kent, [medway, gone])
    award = _award(rnd, leeds, day=date(2018, 1, 1))
    services.award_partnership_set(award=award, partnership=p, actor=None)
    services.partnership_member_add(partnership=p, organisation=late, joined_on=date(2019, 7, 1), actor=None)
    leaving = p.members.get(organisation=gone)
    services.partnership_member_leave(member=leaving, left_on=date(2019, 1, 1), actor=None)
    award.refresh_from_db()
    # The award follows the partnership: its lead, and the members on its date as partners.
    assert award.lead == kent
    assert set(award.partners.all()) == {medway, gone}
    reach = councils_reached([rnd.programme_id], DAY)[rnd.programme_id]
    assert reach.partnerships == 1
    assert reach.councils == 2  # kent and medway: `gone` left before the day, `late` joined after it
    assert councils_reached([rnd.programme_id], date(2018, 6, 30))[rnd.programme_id].councils == 3
    assert councils_reached([rnd.programme_id], date(2019, 7, 1))[rnd.programme_id].councils == 3
    assert councils_reached([rnd.programme_id], date(2017, 12, 31))[rnd.programme_id].councils == 0


def test_a_member_of_a_partnership_and_a_partner_of_a_joint_bid_counts_once(personas):
    rnd = personas.round
    kent, medway = personas.lead_org, personas.partner_org
    p = _partnership(rnd.programme, kent, [medway])
    services.award_partnership_set(award=_award(rnd, kent), partnership=p, actor=None)
    services.award_partnership_set(award=_award(rnd, kent, day=date(2018, 4, 1)), partnership=p, actor=None)
    _award(rnd, medway, [kent])
    reach = councils_reached([rnd.programme_id], DAY)[rnd.programme_id]
    assert (reach.councils, reach.partnerships) == (2, 1)


def test_membership_never_overlaps_and_the_lead_stays(personas):
    kent, medway = personas.lead_org, personas.partner_org
    p = _partnership(personas.programme, kent, [medway])
    with pytest.raises(AwardError):
        services.partnership_member_add(partnership=p, organisation=medway, joined_on=date(2019, 1, 1), actor=None)
    with pytest.raises(AwardError):
        services.partnership_member_leave(member=p.members.get(organisation=kent), left_on=DAY, actor=None)
    member = p.members.get(organisation=medway)
    with pytest.raises(AwardError):
        services.partnership_member_leave(member=member, left_on=date(2017, 1, 1), actor=None)
    services.partnership_member_leave(member=member, left_on=date(2018, 1, 1), actor=None)
    # Rejoining after leaving is a new membership; rejoining before the day it left overlaps.
    with pytest.raises(AwardError):
        services.partnership_member_add(partnership=p, organisation=medway, joined_on=date(2017, 6, 1), actor=None)
    services.partnership_member_add(partnership=p, organisation=medway, joined_on=date(2018, 6, 1), actor=None)
    assert p.members.filter(organisation=medway).count() == 2


def test_only_the_programme_manager_changes_a_partnership(personas):
    p = _partnership(personas.programme, personas.lead_org, [])
    with pytest.raises(AwardError):
        services.partnership_member_add(
            partnership=p, organisation=personas.partner_org, joined_on=DAY, actor=personas.other_programme_manager
        )
    services.partnership_member_add(
        partnership=p, organisation=personas.partner_org, joined_on=DAY, actor=personas.programme_manager
    )
    other = f.RoundFactory(programme=personas.other_programme)
    with pytest.raises(AwardError):
        services.award_partnership_set(award=_award(other, personas.lead_org), partnership=p, actor=None)


def test_reach_is_a_fixed_number_of_queries(personas, django_assert_num_queries):
    rnd = personas.round
    p = _partnership(rnd.programme, personas.lead_org, [personas.partner_org])
    services.award_partnership_set(award=_award(rnd, personas.lead_org), partnership=p, actor=None)
    with django_assert_num_queries(5):
        councils_reached([rnd.programme_id], DAY)
    for _ in range(5):
        _award(rnd, f.OrganisationFactory(), [f.OrganisationFactory()])
    with django_assert_num_queries(5):
        councils_reached([rnd.programme_id, personas.other_programme.pk], DAY)


def test_board_reach_section(personas, django_assert_num_queries):
    from grants.reporting.board_reach import board_reach

    rnd = personas.round
    p = _partnership(rnd.programme, personas.lead_org, [personas.partner_org])
    services.award_partnership_set(award=_award(rnd, personas.lead_org), partnership=p, actor=None)
    _award(rnd, personas.other_org, [personas.partner_org])
    ids = [rnd.programme_id, personas.other_programme.pk]
    with django_assert_num_queries(5):
        sections = board_reach(ids, DAY)
    assert list(sections) == [rnd.programme_id]  # the other programme reached nobody: left out
    (section,) = sections[rnd.programme_id]
    total = england_councils(DAY)
    assert section.key == "reach"
    assert section.rows == [[3, 1, total, (Decimal(300) / total).quantize(Decimal("0.1"))]]
    for _ in range(20):
        _award(rnd, f.OrganisationFactory(), [f.OrganisationFactory(), personas.lead_org])
    with django_assert_num_queries(5):
        sections = board_reach(ids, DAY)
    assert sections[rnd.programme_id][0].rows[0][:2] == [43, 1]


def test_the_dashboard_counts_members_and_partners_not_only_leads(personas, client_for):
    from django.urls import reverse

    from grants.reporting.selectors import dashboard

    rnd = personas.round
    late = f.OrganisationFactory()
    p = _partnership(rnd.programme, personas.lead_org, [personas.partner_org])
    services.award_partnership_set(award=_award(rnd, personas.lead_org), partnership=p, actor=None)
    services.partnership_member_add(partnership=p, organisation=late, joined_on=date(2020, 1, 1), actor=None)
    _award(rnd, personas.other_org, [personas.partner_org])
    d = dashboard(user=personas.administrator, programme=rnd.programme)
    assert (d.awards_made, d.councils_involved) == (2, 4)  # two leads, a partner, a member who joined later
    page = client_for(personas.programme_manager).get(reverse("reporting:dashboard")).content.decode()
    assert 'data-figure="councils">4 ' in page
