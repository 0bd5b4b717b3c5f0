"""Pages: who sees what (404 otherwise), forms that show errors, the PDF, and query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.awards import services as s
from grants.awards.models import AwardStatus, Rag, ReturnStatus

from .factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory, RoundOutputFactory

pytestmark = pytest.mark.django_db

# The conflicted assessor works for the lead council (Kent) but holds no council role there, so
# reads none of its awards, like its bids (tests/security/test_conflict_walk.py has the rest).
VIEWERS = {
    "lead_officer",
    "signatory",
    "partner_officer",
    "programme_manager",
    "finance_officer",
    "board_viewer",
    "administrator",
}


@pytest.fixture
def award(personas):
    a = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    a.partners.add(personas.partner_org)
    ReturnPeriodFactory(round=personas.round, title="Quarter 1")
    s.returns_create(award=a)
    MilestoneFactory(award=a)
    return a


def _people(personas):
    return {**personas.all(), "signatory": personas.signatory}


@pytest.mark.parametrize("name", ["detail", "offer_letter"])
def test_access_matrix_for_award_pages(personas, client_for, award, name):
    url = reverse(f"awards:{name}", args=[award.pk])
    for who, user in _people(personas).items():
        response = client_for(user).get(url)
        if who == "anonymous":
            assert response.status_code == 302, who
        elif who in VIEWERS:
            assert response.status_code == 200, who
        else:
            assert response.status_code == 404, who


def test_return_page_access(personas, client_for, award):
    url = reverse("awards:return", args=[award.pk, award.returns.get().pk])
    for who, user in _people(personas).items():
        code = client_for(user).get(url).status_code
        assert code == (302 if who == "anonymous" else 200 if who in VIEWERS else 404), who


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("variation_new", {"lead_officer", "signatory"}),
        ("closure", {"lead_officer", "signatory"}),
        ("tranches", {"programme_manager", "administrator"}),
        ("milestone_add", {"programme_manager", "administrator"}),
        ("end", {"programme_manager", "administrator"}),
        ("targets", {"programme_manager", "administrator"}),
        ("fund_return_new", {"programme_manager", "administrator", "finance_officer"}),
    ],
)
def test_action_pages_by_role(personas, client_for, award, name, allowed):
    url = reverse(f"awards:{name}", args=[award.pk])
    for who, user in _people(personas).items():
        if user is None:
            continue
        code = client_for(user).get(url).status_code
        assert code == (200 if who in allowed else 404), (who, code)


def test_payment_page_only_finance(personas, client_for, award):
    url = reverse("awards:payment", args=[award.pk, award.tranches.get().pk])
    for who, user in _people(personas).items():
        if user is None:
            continue
        assert client_for(user).get(url).status_code == (200 if who == "finance_officer" else 404), who


def test_accept_page_only_lead_signatory(personas, client_for):
    offered = AwardFactory(round=personas.round, lead=personas.lead_org)
    url = reverse("awards:accept", args=[offered.pk])
    for who, user in _people(personas).items():
        if user is None:
            continue
        assert client_for(user).get(url).status_code == (200 if who == "signatory" else 404), who


def test_an_officer_is_told_their_signatory_accepts_the_offer(personas, client_for):
    """The officer's home page says "Accept or decline the offer"; the award page tells them who
    can, rather than offering a button that would refuse them."""
    offered = AwardFactory(round=personas.round, lead=personas.lead_org)
    url = reverse("awards:detail", args=[offered.pk])
    officer = client_for(personas.lead_officer).get(url).content.decode()
    assert 'data-testid="signatory-accepts"' in officer and "Review and accept the offer" not in officer
    signatory = client_for(personas.signatory).get(url).content.decode()
    assert 'data-testid="signatory-accepts"' not in signatory and "Review and accept the offer" in signatory
    assert "ask them to sign in" in officer and "nobody at your council is an authorised signatory" not in officer


def test_an_officer_whose_council_has_no_signatory_is_told_how_to_get_one(personas, client_for):
    """Without a signatory nobody could accept: the page says so and who to ask, not "ask them"."""
    personas.signatory.org_role = personas.lead_officer.org_role
    personas.signatory.save(update_fields=["org_role"])
    offered = AwardFactory(round=personas.round, lead=personas.lead_org)
    officer = client_for(personas.lead_officer).get(reverse("awards:detail", args=[offered.pk])).content.decode()
    assert "nobody at your council is an authorised signatory" in officer and "ask them to sign in" not in officer


def test_accept_form_errors_then_accepts(personas, client_for):
    offered = AwardFactory(round=personas.round, lead=personas.lead_org)
    c = client_for(personas.signatory)
    url = reverse("awards:accept", args=[offered.pk])
    r = c.post(url, {"name": "Sam", "role": "Chief Executive"})
    assert r.status_code == 200 and "Confirm that your council accepts" in r.content.decode()
    r = c.post(url, {"name": "Sam", "role": "Chief Executive", "confirm_terms": "on"})
    assert r.status_code == 302
    offered.refresh_from_db()
    assert offered.status == AwardStatus.ACCEPTED


def test_amber_return_without_commentary_shows_error_and_keeps_input(personas, client_for, award):
    out = RoundOutputFactory(round=personas.round)
    mreturn = award.returns.get()
    url = reverse("awards:return", args=[award.pk, mreturn.pk])
    r = client_for(personas.lead_officer).post(url, {"rag": "amber", "commentary": "", f"output_{out.pk}": "1200"})
    body = r.content.decode()
    assert r.status_code == 200 and "required for an Amber or Red" in body and 'value="1200"' in body
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.DUE


def test_review_requires_reason_for_changes(personas, client_for, award):
    mreturn = award.returns.get()
    from grants.awards.services import return_submit

    return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})
    url = reverse("awards:return", args=[award.pk, mreturn.pk])
    c = client_for(personas.programme_manager)
    r = c.post(url, {"decision": "changes", "reason": ""})
    assert r.status_code == 200 and "Enter what the council needs to change" in r.content.decode()
    assert c.post(url, {"decision": "approve"}).status_code == 302
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.APPROVED
    # The partner council may read the return but not post to it.
    assert client_for(personas.partner_officer).post(url, {"decision": "approve"}).status_code == 404


def test_offer_pdf(personas, client_for):
    from grants.awards import pdf
    from grants.awards.views import _letter_context

    offered = AwardFactory(round=personas.round, lead=personas.lead_org, amount=Decimal("12345.67"))
    MilestoneFactory(award=offered, description="Pilot live")
    r = client_for(personas.lead_officer).get(reverse("awards:offer_pdf", args=[offered.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 5000
    assert "awards/offer_letter_pdf.html" in [t.name for t in r.templates]  # made from the letter's HTML
    html = pdf.offer_letter_html(_letter_context(offered))
    assert "£12,345.67" in html and "Kent County Council" in html and "Pilot live" in html
    assert offered.reference in html and personas.round.programme.funder.name in html


def test_dashboard_lists_due_items(personas, client_for, award):
    offered = AwardFactory(round=personas.round, lead=personas.lead_org, title="Offer to answer")
    body = client_for(personas.lead_officer).get(reverse("awards:dashboard")).content.decode()
    assert "Accept or decline the offer" in body and "Return: Quarter 1" in body and offered.title in body
    other = client_for(personas.other_officer).get(reverse("awards:dashboard")).content.decode()
    assert award.title not in other


def test_portfolio_access_and_filters(personas, client_for, award):
    other_prog_award = AwardFactory(lead=personas.other_org)
    url = reverse("awards:portfolio")
    for who, user in _people(personas).items():
        if user is None:
            continue
        code = client_for(user).get(url).status_code
        allowed = {"programme_manager", "other_programme_manager", "finance_officer", "board_viewer", "administrator"}
        assert code == (200 if who in allowed else 404), who
    pm = client_for(personas.programme_manager).get(url).content.decode()
    assert award.reference in pm and other_prog_award.reference not in pm
    fin = client_for(personas.finance_officer).get(url, {"region": "Yorkshire and The Humber"}).content.decode()
    assert other_prog_award.reference in fin and award.reference not in fin
    none_rag = client_for(personas.finance_officer).get(url, {"rag": "green"}).content.decode()
    assert award.reference not in none_rag


def test_portfolio_rag_filter_includes_the_red_award(personas, client_for, award):
    from grants.awards.services import return_submit

    green = AwardFactory(round=personas.round, lead=personas.other_org, status=AwardStatus.ACTIVE)
    s.returns_create(award=green)
    return_submit(mreturn=award.returns.get(), actor=personas.lead_officer, rag=Rag.RED, commentary="Late", values={})
    c = client_for(personas.programme_manager)
    red = c.get(reverse("awards:portfolio"), {"rag": "red"})
    assert [a.reference for a, _ in red.context["rows"]] == [award.reference]
    assert award.reference in red.content.decode() and green.reference not in red.content.decode()
    none = c.get(reverse("awards:portfolio"), {"rag": "none"})
    assert [a.reference for a, _ in none.context["rows"]] == [green.reference]


def test_portfolio_rag_filter_reads_the_latest_return_only(personas, client_for, award):
    from grants.awards.services import return_submit

    later = ReturnPeriodFactory(
        round=personas.round, title="Quarter 2", due_on=award.returns.get().period.due_on + timedelta(days=90)
    )
    s.returns_create(award=award)
    q1, q2 = award.returns.get(period__title="Quarter 1"), award.returns.get(period=later)
    # Sent in the other order: the latest is the later period, not the later submission.
    return_submit(mreturn=q2, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})
    return_submit(mreturn=q1, actor=personas.lead_officer, rag=Rag.RED, commentary="Slipped", values={})
    c = client_for(personas.programme_manager)
    refs = {
        rag: [a.reference for a, _ in c.get(reverse("awards:portfolio"), {"rag": rag}).context["rows"]]
        for rag in ("red", "green")
    }
    assert refs == {"red": [], "green": [award.reference]}


def test_portfolio_query_count_is_fixed(personas, client_for, django_assert_max_num_queries):
    for i in range(30):
        a = AwardFactory(round=personas.round, amount=Decimal("1000") + i, status=AwardStatus.ACTIVE)
        MilestoneFactory(award=a)
    c = client_for(personas.finance_officer)
    c.get(reverse("awards:portfolio"))  # warm the session
    with django_assert_max_num_queries(12):
        r = c.get(reverse("awards:portfolio"))
    assert r.content.decode().count("govuk-table__row") >= 31


def test_detail_query_count_is_fixed(personas, client_for, award, django_assert_max_num_queries):
    for _ in range(10):
        MilestoneFactory(award=award)
    c = client_for(personas.programme_manager)
    c.get(reverse("awards:detail", args=[award.pk]))
    with django_assert_max_num_queries(25):
        assert c.get(reverse("awards:detail", args=[award.pk])).status_code == 200
