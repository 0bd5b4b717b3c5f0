"""Dashboard figures equal the sums of the rows they come from, for any data."""

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.awards.selectors import totals
from grants.reporting import selectors
from grants.reporting.charts import dashboard_charts

from . import factories as rf
from .conftest import award_specs, bid_specs, rolled_back

pytestmark = pytest.mark.django_db


def _check(d, exp):
    assert d.awards_made == exp["awards_made"]
    assert d.money["awarded"] == exp["awarded"]
    assert d.money["paid"] == exp["paid"]
    assert d.money["returned"] == exp["returned"]
    assert d.money["net"] == exp["paid"] - exp["returned"]
    assert d.bids_received == exp["bids_received"]
    assert d.requested == exp["requested"]
    assert {k: n for k, _, n in d.rag} == exp["rag"]
    assert sum(o.target for o in d.outputs) == exp["target"]
    assert sum(o.to_date for o in d.outputs) == exp["to_date"]
    assert {r: (n, a) for r, n, a in d.by_region} == exp["by_region"]
    assert sum(n for _, n, _ in d.by_kind) == exp["awards_made"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    awards=st.lists(award_specs, max_size=8),
    bids=st.lists(bid_specs, max_size=5),
    year=st.sampled_from([None, 2018, 2019]),
)
def test_dashboard_totals_equal_the_sums_of_the_rows(personas, awards, bids, year):
    with rolled_back():
        rounds = rf.make_rounds([personas.programme, personas.other_programme])
        for s in awards:
            rf.make_award(rounds[s.round], s)
        for b in bids:
            rf.make_bid(rounds[b.round], b)
        years = {0: 2018, 1: 2019, 2: 2018, 3: 2019}
        # The administrator sees both programmes; the manager only rounds 0 and 1.
        everyone = {i for i in range(4) if year in (None, years[i])}
        d = selectors.dashboard(user=personas.administrator, year=year)
        _check(d, rf.expected(awards, bids, everyone))
        d = selectors.dashboard(user=personas.programme_manager, year=year)
        _check(d, rf.expected(awards, bids, {i for i in everyone if i < 2}))
        # and the money agrees with the awards app's own totals for the same awards
        assert d.money == totals(
            selectors.scoped_awards(selectors.scoped_rounds(user=personas.programme_manager, year=year))
        )


def test_oversubscription_is_requested_over_budget(world, personas):
    d = selectors.dashboard(user=personas.programme_manager, round=world["rounds"][0])
    assert d.budget == Decimal("100000.00")
    assert d.requested == Decimal("130000")
    assert d.oversubscription == Decimal("1.30")


def _table(html: str, testid: str) -> list[list[str]]:
    import re

    block = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", block.split("<tbody", 1)[1], re.S)
    return [[re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]


def test_every_chart_has_an_svg_with_title_desc_and_its_table(client_for, world, personas):
    html = client_for(personas.programme_manager).get(reverse("reporting:dashboard")).content.decode()
    d = selectors.dashboard(user=personas.programme_manager)
    charts = dashboard_charts(d)
    assert {c.id for c in charts} == {"chart-money", "chart-rag", "chart-outputs", "chart-region", "chart-kind"}
    for c in charts:
        assert f'aria-labelledby="{c.id}-title {c.id}-desc"' in html
        assert f'<title id="{c.id}-title">' in html and f'<desc id="{c.id}-desc">' in html
        assert _table(html, f"table-{c.id}") == c.rows
        assert html.count(f'data-chart="{c.id}"') == 1
    # The numbers in the tables are the selector's numbers
    assert _table(html, "table-chart-rag") == [["Green", "1"], ["Amber", "0"], ["Red", "1"], ["No return yet", "0"]]
    region = {r[0]: r[1:] for r in _table(html, "table-chart-region")}
    assert region == {"London": ["2", "£70,000"], "South East": ["1", "£30,000"]}
    outputs = _table(html, "table-chart-outputs")
    assert outputs == [["Savings", "£2,100", "£6,000", "35%"]]


def test_year_filter_changes_the_figures(client_for, world, personas):
    c = client_for(personas.programme_manager)
    all_years = c.get(reverse("reporting:dashboard")).context["d"]
    y2019 = c.get(reverse("reporting:dashboard"), {"year": "2019"}).context["d"]
    assert all_years.money["awarded"] == Decimal("100000.00")
    assert y2019.money["awarded"] == Decimal("50000.00")
    assert y2019.rounds == 1


def test_round_outside_programme_is_an_error_on_the_page(client_for, world, personas):
    c = client_for(personas.administrator)
    r = c.get(reverse("reporting:dashboard"), {"programme": personas.programme.slug, "round": world["rounds"][2].slug})
    assert r.status_code == 200
    assert "Choose a round in the programme you chose" in r.content.decode()


def test_dashboard_query_count_is_fixed(client_for, world, personas, django_assert_max_num_queries):
    c = client_for(personas.administrator)
    with django_assert_max_num_queries(25):
        assert c.get(reverse("reporting:dashboard")).status_code == 200
    for i in range(20):
        rf.make_award(
            world["rounds"][i % 4], rf.AwardSpec(i % 4, "active", 1000 + i, paid=[100], rag="amber", target=10, value=5)
        )
    with django_assert_max_num_queries(25):
        r = c.get(reverse("reporting:dashboard"), {"year": "2018"})
        assert r.status_code == 200


def test_download_links_carry_the_filters_applied_not_bad_input(client_for, world, personas):
    c = client_for(personas.administrator)
    r = c.get(reverse("reporting:dashboard"), {"year": "abc", "programme": personas.programme.slug})
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    links = [r.context["awards_download"]] + [dl for _, _, dl in r.context["charts"]]
    for dl in links:
        assert dl["query"] == "" and dl["back"] == r.wsgi_request.get_full_path()
        assert c.get(dl["csv"]).status_code == 200, dl["csv"]
    r = c.get(reverse("reporting:dashboard"), {"year": "2019", "programme": personas.programme.slug, "page": "2"})
    assert r.context["awards_download"]["query"] == f"programme={personas.programme.slug}&year=2019"
    assert "whatever the date it was made" in r.content.decode()  # how the year treats payments
