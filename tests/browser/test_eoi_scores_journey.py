"""EOI short scores in Chromium, on the demo's Cyber Security expressions of interest, axe on every
page: the manager reads the round's three EOI criteria, proposes to invite Leeds with a score
against each, and the triage list puts Leeds first with its total. Nothing is confirmed."""

import re

import pytest
from django.core.management import call_command

from grants.councils import councils_load
from grants.demo import DEMO_PASSWORD
from grants.models import User
from scoring.models import EoiScore
from tests.conftest import enable_mfa

from .conftest import check_a11y, click_through, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_scores_an_eoi_and_the_list_puts_it_first(browser, live_server):
    councils_load()
    call_command("seed_demo")
    manager = User.objects.get(email="cyber.manager@lga.example.com")
    context, page = signed_in(browser, live_server, manager.email, DEMO_PASSWORD, enable_mfa(manager))
    # Productivity Experts has expressions of interest to triage too: take the Cyber Security round's link.
    click_through(page.get_by_role("link", name=re.compile(r"^Expressions of interest to triage in Cyber Security")))
    assert "Short score" in page.get_by_test_id("eois").inner_text()

    click_through(page.get_by_role("link", name="EOI criteria (3)"))
    check_a11y(page)
    criteria = page.get_by_test_id("eoi-criteria").inner_text()
    assert all(name in criteria for name in ("Risk addressed", "Readiness to deliver", "Value for money"))
    click_through(page.get_by_role("link", name="Back to expressions of interest"))

    row = page.get_by_test_id("eois").get_by_role("row").filter(has_text="Leeds")
    click_through(row.get_by_role("link", name=re.compile("^Propose")))
    check_a11y(page)
    page.get_by_label("Invite to a full bid").check()
    for name, score in (("Risk addressed", "3"), ("Readiness to deliver", "2"), ("Value for money", "2")):
        page.get_by_role("group", name=f"{name} (0 to 3)").get_by_label(score, exact=True).check()
    click_through(page.get_by_role("button", name="Save the proposed outcome"))
    check_a11y(page)

    first = page.get_by_test_id("eois").get_by_role("row").nth(1).inner_text()
    assert "Leeds" in first and "7 of 9" in first
    assert EoiScore.objects.count() == 3
    context.close()
