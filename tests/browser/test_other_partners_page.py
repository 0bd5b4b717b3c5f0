"""The partners page with an other partner's form: errors, then the body listed. axe on each."""

import pytest

from applications import services
from applications.models import Bid
from grants.models import OrgKind, OrgRole
from tests import factories as f
from tests.applications.test_services import DETAILS

from .conftest import check_a11y, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_other_partner_form_is_accessible(page):
    lead = f.OrganisationFactory(short_name="Kentish", name="Kentish County Council", code="KTX", kind=OrgKind.COUNTY)
    officer = f.UserFactory(email="officer@kentish.example.com", organisation=lead, org_role=OrgRole.OFFICER)
    rnd = f.RoundFactory(name="Other partners round", reference_prefix="OPR")
    bid = services.start_bid(round=rnd, actor=officer, **DETAILS)
    sign_in(page, officer.email, f.PASSWORD)
    page.goto(f"/bids/{bid.pk}/partners/")
    check_a11y(page)
    page.get_by_label("Contact email address (optional)").fill("not an email")
    page.get_by_role("button", name="Add other partner").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter the name of the organisation" in page.content()
    check_a11y(page)
    page.get_by_label("Name of the organisation").fill("Victim Support")
    page.get_by_label("Voluntary or community sector").check()
    page.get_by_label("Contact email address (optional)").fill("sam@victimsupport.example")
    page.get_by_role("button", name="Add other partner").click()
    page.wait_for_selector("[data-testid=other-partners]")
    check_a11y(page)
    assert Bid.objects.get(pk=bid.pk).other_partners.get().name == "Victim Support"
