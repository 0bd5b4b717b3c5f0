"""Who sees what: staff by role, councils and panel members 404, anonymous to sign in."""

import pytest
from django.urls import reverse

from grants.awards.models import MonitoringReturn
from grants.reporting import selectors

from . import factories as rf

pytestmark = pytest.mark.django_db
STAFF = {"programme_manager", "other_programme_manager", "finance_officer", "board_viewer", "administrator"}


def _urls(world, personas):
    lead = world["awards"][0].lead
    return [
        reverse("reporting:dashboard"),
        reverse("reporting:board_report"),
        reverse("reporting:open_data_staff"),
        reverse("reporting:council_search") + "?q=Test",
        reverse("reporting:council_profile", args=[lead.code]),
        reverse("reporting:download", args=["awards", "csv"]),
        reverse("reporting:download", args=["board-report", "xlsx"]),
    ]


def test_access_matrix(client_for, world, personas):
    for name, user in personas.all().items():
        c = client_for(user)
        for url in _urls(world, personas):
            status = c.get(url).status_code
            if user is None:
                assert status == 302, (name, url)
            elif name in STAFF:
                assert status == 200, (name, url, status)
            else:
                assert status == 404, (name, url, status)


def test_public_open_data_page_is_open_to_everyone(client_for, personas):
    for user in personas.all().values():
        assert client_for(user).get(reverse("reporting:open_data")).status_code == 200


def test_managers_see_only_their_programmes(client_for, world, personas):
    mine = selectors.dashboard(user=personas.programme_manager)
    theirs = selectors.dashboard(user=personas.other_programme_manager)
    everyone = selectors.dashboard(user=personas.board_viewer)
    assert mine.money["awarded"] + theirs.money["awarded"] == everyone.money["awarded"]
    r = client_for(personas.other_programme_manager).get(
        reverse("reporting:dashboard"), {"programme": personas.programme.slug}
    )
    assert "Select a valid choice" in r.content.decode()  # not theirs: an error, and no figures leak
    assert r.context["d"].money["awarded"] == theirs.money["awarded"]
    board = [
        r.programme for r in selectors.board_report(user=personas.other_programme_manager, as_at=rf.date(2030, 3, 31))
    ]
    assert board == [personas.other_programme]
    assert (
        client_for(personas.other_programme_manager)
        .get(reverse("reporting:download", args=["awards", "csv"]), {"programme": personas.programme.slug})
        .status_code
        == 404
    )


def test_council_profile_history_and_outstanding_returns(client_for, world, personas):
    lead = world["awards"][0].lead
    rnd = world["rounds"][2]  # the other programme
    other = rf.make_award(rnd, rf.AwardSpec(2, "active", 7000, paid=[3000]), lead=lead)
    MonitoringReturn.objects.create(award=other, period=rnd.return_periods.first())
    bid = rf.make_bid(world["rounds"][0], rf.BidSpec(0, 12000))
    bid.lead = lead
    bid.save()
    admin = selectors.council_profile(user=personas.administrator, organisation=lead)
    assert [a.reference for a, _ in admin.awards] == sorted([world["awards"][0].reference, other.reference])
    assert admin.totals["awarded"] == world["awards"][0].amount + other.amount
    assert admin.totals["paid"] == 13000
    assert [r.award_id for r, overdue in admin.outstanding_returns] == [other.pk]
    assert [b.pk for b in admin.bids] == [bid.pk]
    pm = selectors.council_profile(user=personas.programme_manager, organisation=lead)
    assert [a.reference for a, _ in pm.awards] == [world["awards"][0].reference]
    assert pm.outstanding_returns == []
    page = client_for(personas.programme_manager).get(reverse("reporting:council_profile", args=[lead.code]))
    html = page.content.decode()
    assert world["awards"][0].reference in html and other.reference not in html
    assert (
        client_for(personas.administrator).get(reverse("reporting:council_profile", args=["ZZZZ"])).status_code == 404
    )


def test_council_profile_query_count_is_fixed(client_for, world, personas, django_assert_max_num_queries):
    lead = world["awards"][0].lead
    c = client_for(personas.administrator)
    url = reverse("reporting:council_profile", args=[lead.code])
    with django_assert_max_num_queries(20):
        c.get(url)
    for i in range(6):
        rf.make_award(world["rounds"][i % 4], rf.AwardSpec(i % 4, "active", 1000, paid=[10]), lead=lead)
    with django_assert_max_num_queries(20):
        c.get(url)


def test_council_search_finds_councils_behind_many_other_bodies(client_for, personas):
    """Twenty-five fire services match the search and sort first: the council still shows."""
    from grants.models import OrgKind
    from tests import factories as f

    for i in range(25):
        f.OrganisationFactory(name=f"Zedshire Fire Service {i}", short_name=f"Zedshire A{i:02d}", code=None,
                              gss_code="", kind=OrgKind.FIRE_RESCUE)  # fmt: skip
    council = f.OrganisationFactory(name="Zedshire District Council", short_name="Zedshire Z", code="ZDZ")
    r = client_for(personas.board_viewer).get(reverse("reporting:council_search"), {"q": "Zedshire"})
    assert [o.pk for o in r.context["results"]] == [council.pk]
    assert reverse("reporting:council_profile", args=["ZDZ"]) in r.content.decode()
