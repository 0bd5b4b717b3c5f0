"""Partnership pages (issue 17): list, one partnership, members joining and leaving."""

from datetime import date

import pytest
from django.urls import reverse

from grants.awards import services
from grants.models import AuditEvent, PartnershipMember
from tests.awards.factories import AwardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(personas):
    p = services.partnership_create(
        programme=personas.programme,
        name="Kent and Medway estate",
        code="OPE-KM",
        lead=personas.lead_org,
        formed_on=date(2017, 1, 1),
        members=(personas.partner_org,),
        actor=None,
    )
    award = AwardFactory(round=personas.round, lead=personas.lead_org, award_date=date(2019, 4, 15), status="active")
    services.award_partnership_set(award=award, partnership=p, actor=None)
    return p


def test_manager_lists_and_reads_a_partnership(client_for, personas, partnership, django_assert_max_num_queries):
    c = client_for(personas.programme_manager)
    page = c.get(reverse("awards:partnerships")).content.decode()
    assert "Kent and Medway estate" in page and "OPE-KM" in page
    with django_assert_max_num_queries(15):
        r = c.get(partnership.get_absolute_url())
    page = r.content.decode()
    assert "Medway Council" in page and "Add a council that joined" in page and "Record that it left" in page
    assert partnership.awards.get().reference in page
    assert reverse("awards:partnerships") in c.get(reverse("awards:portfolio")).content.decode()
    award_page = c.get(partnership.awards.get().get_absolute_url()).content.decode()
    assert f'href="{partnership.get_absolute_url()}"' in award_page
    # Another programme's manager sees neither the partnership nor it in their list.
    other = client_for(personas.other_programme_manager)
    assert "Kent and Medway estate" not in other.get(reverse("awards:partnerships")).content.decode()
    assert other.get(partnership.get_absolute_url()).status_code == 404


def test_member_councils_read_it_without_changing_it(client_for, personas, partnership):
    r = client_for(personas.partner_officer).get(partnership.get_absolute_url())
    assert r.status_code == 200
    page = r.content.decode()
    assert "Add a council that joined" not in page and "Record that it left" not in page
    assert client_for(personas.other_officer).get(partnership.get_absolute_url()).status_code == 404
    assert client_for(personas.partner_officer).get(reverse("awards:partnerships")).status_code == 404
    url = reverse("awards:partnership_member_add", args=[partnership.pk])
    assert client_for(personas.partner_officer).post(url, {}).status_code == 404


def test_add_a_member_with_errors_then_for_real(client_for, personas, partnership):
    c = client_for(personas.programme_manager)
    url = reverse("awards:partnership_member_add", args=[partnership.pk])
    r = c.post(url, {"organisation": "MDX", "joined_on_0": "1", "joined_on_1": "6", "joined_on_2": "2018"})
    page = r.content.decode()
    assert r.status_code == 200 and "govuk-error-summary" in page and "is a member on 1 June 2018 already" in page
    assert 'value="MDX"' in page  # what was typed stays
    r = c.post(url, {"organisation": "", "joined_on_0": "", "joined_on_1": "", "joined_on_2": ""})
    assert "Enter the council that joined" in r.content.decode()
    leeds = personas.other_org
    r = c.post(url, {"organisation": leeds.code, "joined_on_0": "1", "joined_on_1": "1", "joined_on_2": "2019"})
    assert r.status_code == 302
    assert partnership.members.filter(organisation=leeds, joined_on=date(2019, 1, 1)).exists()
    award = partnership.awards.get()
    assert leeds in award.partners.all()  # a member on the award date: on the award too
    assert AuditEvent.objects.filter(action="partnership.member_added").count() == 1


def test_record_a_member_leaving(client_for, personas, partnership):
    c = client_for(personas.programme_manager)
    member = PartnershipMember.objects.get(partnership=partnership, organisation=personas.partner_org)
    url = reverse("awards:partnership_member_leave", args=[partnership.pk, member.pk])
    r = c.post(url, {"left_on_0": "1", "left_on_1": "1", "left_on_2": "2016"})
    assert "must be after it joined" in r.content.decode()
    r = c.post(url, {"left_on_0": "1", "left_on_1": "4", "left_on_2": "2019"})
    assert r.status_code == 302
    member.refresh_from_db()
    assert member.left_on == date(2019, 4, 1)
    assert personas.partner_org not in partnership.awards.get().partners.all()  # left before the award date
    lead = PartnershipMember.objects.get(partnership=partnership, organisation=personas.lead_org)
    r = c.post(
        reverse("awards:partnership_member_leave", args=[partnership.pk, lead.pk]),
        {"left_on_0": "1", "left_on_1": "4", "left_on_2": "2019"},
    )
    assert "The lead council cannot leave" in r.content.decode()
    # A partnership's member ids are its own: another partnership's member is 404.
    stranger = services.partnership_create(
        programme=personas.programme, name="Other", lead=personas.other_org, formed_on=date(2017, 1, 1), actor=None
    )
    stray = stranger.members.get()
    assert c.get(reverse("awards:partnership_member_leave", args=[partnership.pk, stray.pk])).status_code == 404


def test_a_historic_award_to_a_partnership_takes_its_lead_and_members(client_for, personas, partnership):
    from grants.awards.models import Award

    form = {
        "round": str(personas.round.pk),
        "partnership": str(partnership.pk),
        "lead": "",
        "partners": "",
        "title": "Estate review",
        "amount": "30,000",
        "award_date_0": "1",
        "award_date_1": "9",
        "award_date_2": "2018",
        "status": "completed",
    }
    c = client_for(personas.programme_manager)
    r = c.post(reverse("awards:historic_new"), {**form, "partnership": ""})
    assert "Enter the lead council" in r.content.decode()  # neither a partnership nor a lead
    r = c.post(reverse("awards:historic_new"), form)
    assert r.status_code == 302
    award = Award.objects.get(title="Estate review")
    assert award.partnership == partnership and award.lead == personas.lead_org
    assert list(award.partners.all()) == [personas.partner_org]
    # Another programme's partnership is not among the choices.
    other = services.partnership_create(
        programme=personas.other_programme,
        name="Elsewhere",
        lead=personas.other_org,
        formed_on=date(2017, 1, 1),
        actor=None,
    )
    r = c.post(reverse("awards:historic_new"), {**form, "partnership": str(other.pk), "title": "Stray"})
    assert r.status_code == 200 and not Award.objects.filter(title="Stray").exists()
