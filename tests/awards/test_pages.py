"""Pages: the portfolio's pages, totals and downloads; fixed query counts on the council
dashboard and the return page; the award page's history and returned-funds link; decline."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.awards import services as m
from grants.awards import services as s
from grants.awards.models import AwardStatus, Rag

from .factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory, RoundOutputFactory

pytestmark = pytest.mark.django_db
A = AwardStatus
D = Decimal


def _awards(personas, n: int, **kwargs) -> list:
    return [
        AwardFactory(round=personas.round, lead=personas.lead_org, status=A.ACTIVE, amount=D("1000"), **kwargs)
        for _ in range(n)
    ]


def test_portfolio_pages_keep_filters_and_total_every_matching_award(personas, client_for):
    _awards(personas, 55)
    AwardFactory(lead=personas.other_org, status=A.ACTIVE, amount=D("7"))  # another programme, another region
    c = client_for(personas.finance_officer)
    url = reverse("awards:portfolio")
    first = c.get(url, {"region": personas.lead_org.region})
    page = first.context["page"]
    assert page.paginator.count == 55 and len(first.context["rows"]) == 50 and page.paginator.num_pages == 2
    body = first.content.decode()
    region = personas.lead_org.region.replace(" ", "+")
    assert f'href="?region={region}&amp;page=2"' in body
    assert first.context["totals"]["awarded"] == D("55000.00")  # all 55, not the 50 on screen
    assert 'data-testid="portfolio-totals"' in body and "£55,000" in body
    second = c.get(url, {"region": personas.lead_org.region, "page": "2"})
    assert len(second.context["rows"]) == 5
    assert c.get(url, {"region": personas.lead_org.region, "page": "999"}).context["page"].number == 2  # the last
    assert c.get(url, {"page": "x"}).status_code == 200


def test_portfolio_downloads_carry_the_filters(personas, client_for):
    kept = _awards(personas, 2)
    other = AwardFactory(lead=personas.other_org, status=A.ACTIVE)
    c = client_for(personas.finance_officer)
    page = c.get(reverse("awards:portfolio"), {"region": personas.lead_org.region})
    links = page.context["downloads"]
    assert links["table"] == "award-portfolio" and "region=" in links["csv"]
    assert links["csv"] in page.content.decode().replace("&amp;", "&")
    response = c.get(links["csv"])
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["Reference", "Title"]
    assert {r[0] for r in rows[1:]} == {a.reference for a in kept}
    assert other.reference not in {r[0] for r in rows[1:]}
    xlsx = c.get(links["xlsx"])
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    # A council officer cannot download the portfolio.
    assert client_for(personas.lead_officer).get(links["csv"]).status_code == 404


def test_portfolio_download_for_a_manager_holds_only_their_programmes(personas, client_for):
    mine = _awards(personas, 1)[0]
    other = AwardFactory(status=A.ACTIVE)
    c = client_for(personas.programme_manager)
    response = c.get(reverse("reporting:download", args=["award-portfolio", "csv"]))
    refs = {r[0] for r in csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))}
    assert mine.reference in refs and other.reference not in refs


def _council_world(personas, n: int) -> None:
    for award in _awards(personas, n):
        s.returns_create(award=award)
        MilestoneFactory(award=award)


def test_council_dashboard_query_count_is_fixed(personas, client_for, django_assert_max_num_queries):
    ReturnPeriodFactory(round=personas.round, title="Q1")
    _council_world(personas, 2)
    c = client_for(personas.lead_officer)
    c.get(reverse("awards:dashboard"))
    with django_assert_max_num_queries(12):
        c.get(reverse("awards:dashboard"))
    _council_world(personas, 20)
    with django_assert_max_num_queries(12):
        body = c.get(reverse("awards:dashboard")).content.decode()
    assert body.count("Return: Q1") == 22


def test_return_page_query_count_is_fixed(personas, client_for, django_assert_max_num_queries):
    award = _awards(personas, 1)[0]
    ReturnPeriodFactory(round=personas.round, title="Q1")
    s.returns_create(award=award)
    mreturn = award.returns.get()
    url = reverse("awards:return", args=[award.pk, mreturn.pk])
    c = client_for(personas.programme_manager)

    def outputs(first, last):
        for i in range(first, last):
            RoundOutputFactory(round=personas.round, kind="custom", label=f"Output {i}", unit="count")

    outputs(0, 1)
    m.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})
    c.get(url)
    # 15: one of them lists the return's internal notes (issue 16), however many there are;
    # 16: one more lists the links to the outputs' forecast pages (issue 17, outputs).
    # 17: one more adds up its spend to date (issue 17, spend).
    with django_assert_max_num_queries(17):
        c.get(url)
    outputs(1, 15)
    with django_assert_max_num_queries(17):
        body = c.get(url).content.decode()
    assert "Output 14" in body


def test_award_page_shows_its_history(personas, client_for):
    award = AwardFactory(round=personas.round, lead=personas.lead_org)
    s.award_accept(award=award, actor=personas.signatory, name="Sam Sign", role="Chief Executive", confirm_terms=True)
    body = client_for(personas.programme_manager).get(award.get_absolute_url()).content.decode()
    assert 'data-testid="history"' in body and "Accepted by Sam Sign, Chief Executive" in body


@pytest.mark.parametrize("status", [A.TERMINATED, A.COMPLETED, A.ACTIVE])
def test_finance_sees_the_returned_funds_link_on_ended_awards(personas, client_for, status):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=status)
    link = reverse("awards:fund_return_new", args=[award.pk])
    for who, shown in (("finance_officer", True), ("programme_manager", True), ("lead_officer", False)):
        body = client_for(getattr(personas, who)).get(award.get_absolute_url()).content.decode()
        assert (link in body) is shown, who


def test_no_returned_funds_link_before_any_payment_could_be_made(personas, client_for):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=A.OFFERED)
    body = client_for(personas.finance_officer).get(award.get_absolute_url()).content.decode()
    assert reverse("awards:fund_return_new", args=[award.pk]) not in body


def test_decline_page_redirects_once_the_offer_is_answered(personas, client_for):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=A.ACCEPTED)
    c = client_for(personas.signatory)
    url = reverse("awards:decline", args=[award.pk])
    for response in (c.get(url), c.post(url, {"reason": "Changed our mind"})):
        assert response.status_code == 302 and response["Location"] == award.get_absolute_url()
    award.refresh_from_db()
    assert award.status == A.ACCEPTED
