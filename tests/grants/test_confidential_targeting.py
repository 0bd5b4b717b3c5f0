"""Confidential targeting (issue 14, item 3), attacked as an outsider would.

A targeted round is open only to a named list of councils (Cyber Security phase 1: those rated
Red or Amber-Red in the cyber stocktake). The funder gives each council its rating in confidence,
so the list, its length and the note saying why it exists are for programme staff only. These
tests walk every route that takes a round (or its programme), the home page, the bid start page,
the round-opening emails and the 360Giving output as anonymous visitors, officers of listed and
unlisted councils, people linked to a listed council without a council role, and panel members;
the name or code of a listed council other than the viewer's own (the council they bid for) must
never appear, nor the note.
"""

import csv
import io
import json
import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from applications.models import BidStatus
from grants.awards.models import AwardStatus
from grants.models import Organisation, OrgKind, User
from grants.reporting import services as reporting
from grants.reporting.models import PublishedFile
from notifications.models import Notification, Preference
from notifications.tasks import reminders_send_due
from tests import factories as f
from tests.applications.factories import BidFactory
from tests.awards.factories import AwardFactory

pytestmark = pytest.mark.django_db

NOTE = "rated Red or Amber-Red in the stocktake"


@dataclass
class World:
    personas: object
    round: object
    listed: list[Organisation]
    quarrywick: Organisation
    linked_no_role: User
    kent_bid: object
    medway_bid: object
    medway_award: object


@pytest.fixture
def world(personas) -> World:
    """A round of the personas' programme targeted at Kent (lead council), Medway (partner council)
    and Quarrywick (no one from it signs in); Leeds is not on the list. Kent and Medway each have a
    bid, Medway an accepted award. The personas' panel sits on another round: the targeted round's
    own assessors see the bids they assess, whose leads are on the list by definition."""
    rnd = f.RoundFactory(
        programme=personas.programme, name="Cyber test round", slug="cyber-test", reference_prefix="CYT",
        eligibility_note=NOTE,
    )  # fmt: skip
    quarrywick = f.OrganisationFactory(
        name="Quarrywick Borough Council", short_name="Quarrywick", code="QWK", kind=OrgKind.DISTRICT
    )
    listed = [personas.lead_org, personas.partner_org, quarrywick]
    rnd.eligible_organisations.set(listed)
    kent_bid = BidFactory(round=rnd, lead=personas.lead_org, title="Kent patching", created_by=personas.lead_officer)
    medway_bid = BidFactory(
        round=rnd,
        lead=personas.partner_org,
        title="Medway backups",
        status=BidStatus.FUNDED,
        reference="CYT-000002",
        reference_number=2,
        created_by=personas.partner_officer,
    )
    award = AwardFactory(
        round=rnd, lead=personas.partner_org, bid=medway_bid, reference="AW-CYB-1", status=AwardStatus.ACCEPTED
    )
    linked = f.UserFactory(email="linked@quarrywick.example.com", organisation=quarrywick)
    return World(personas, rnd, listed, quarrywick, linked, kent_bid, medway_bid, award)


def _viewers(w: World) -> dict[str, tuple[User | None, Organisation | None]]:
    """Everyone who is not the programme's staff, with the council they bid for (if any)."""
    p = w.personas
    return {
        "anonymous": (None, None),
        "officer of a listed council": (p.lead_officer, p.lead_org),
        "signatory of a listed council": (p.signatory, p.lead_org),
        "officer of another listed council": (p.partner_officer, p.partner_org),
        "officer of an unlisted council": (p.other_officer, None),
        "linked to a listed council, no council role": (w.linked_no_role, None),
        "panel member employed by a listed council": (p.conflicted_assessor, None),
        "panel member (another round)": (p.assessor, None),
        "panel chair (another round)": (p.panel_chair, None),
        "manager of another programme": (p.other_programme_manager, None),
    }


def _bounded(text: str) -> re.Pattern:
    """`text` as a whole word: a three-letter code inside a random token is not a disclosure."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(text)}(?![A-Za-z0-9])")


def _forbidden(w: World, own: Organisation | None) -> list[re.Pattern]:
    words = [NOTE]
    for org in w.listed:
        if own is None or org.pk != own.pk:
            words += [org.name, org.short_name, org.code]
    return [_bounded(word) for word in words]


def _leaks(body: str, forbidden: list[re.Pattern]) -> list[str]:
    return [p.pattern for p in forbidden if p.search(body)]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.pattern.converters


PROGRAMME_ROUTES = ("staff/programmes/", "staff/board-report/")


def _slug_routes(w: World) -> dict[str, str]:
    """Every named route taking a slug, filled in for the targeted round (or its programme); any
    bid it takes is Medway's, any other id a plausible one. New routes join the walk by themselves."""
    rnd = w.round
    urls = {}
    for name, route, converters in _patterns(get_resolver()):
        if "slug" not in converters:
            continue
        kwargs = {}
        for key, converter in converters.items():
            if key == "slug":
                kwargs[key] = rnd.programme.slug if route.startswith(PROGRAMME_ROUTES) else rnd.slug
            elif key == "fmt":
                kwargs[key] = "csv"
            elif key == "pk":
                kwargs[key] = w.medway_bid.pk
            else:
                kwargs[key] = 1 if converter.regex == "[0-9]+" else "x"
        urls[name] = reverse(name, kwargs=kwargs)
    return urls


def _other_pages() -> dict[str, str]:
    return {
        "home": reverse("home"),
        "round list": reverse("grants:round_list"),
        "open data": reverse("reporting:open_data"),
        "organisation search": reverse("grants:organisation_search_json"),
    }


def _own_pages(w: World, own: Organisation | None) -> dict[str, str]:
    """The council's own bid in the round and its dashboards: they show the round, never the list."""
    if own is None:
        return {}
    bid = w.kent_bid if own.pk == w.personas.lead_org.pk else w.medway_bid
    pages = {
        "bid dashboard": reverse("applications:bid_dashboard"),
        "award dashboard": reverse("awards:dashboard"),
        "notifications": reverse("notifications:centre"),
        "own bid": reverse("applications:bid_detail", args=[bid.pk]),
        "own bid history": reverse("applications:bid_history", args=[bid.pk]),
    }
    if own.pk == w.personas.partner_org.pk:
        pages["own award"] = reverse("awards:detail", args=[w.medway_award.pk])
    return pages


def test_the_walk_covers_the_round_routes(world):
    """The walk is not vacuous: it reaches the public, bidding, assessment and staff round routes."""
    names = set(_slug_routes(world))
    for name in (
        "grants:round_detail",
        "grants:round_prospectus",
        "applications:bid_start",
        "applications:partner_search_json",
        "applications:staff_bid_list",
        "applications:staff_bid_export",
        "scoring:queue",
        "scoring:assess_bid",
        "scoring:ranking",
        "scoring:export_scores",
        "awards:round_monitoring",
        "grants:staff_programme_detail",
        "grants:staff_round_edit",
    ):
        assert name in names, name


def test_programme_staff_see_the_list_on_the_round_page(world, client_for):
    """The control for the walk: the same check finds every listed name on the staff view."""
    p = world.personas
    for staff in (p.programme_manager, p.administrator, p.board_viewer):
        body = _body(client_for(staff).get(reverse("grants:round_detail", args=[world.round.slug])))
        shown = [_bounded(word) for word in [NOTE] + [org.short_name for org in world.listed]]
        assert _leaks(body, shown) == [p.pattern for p in shown], staff.email
        assert 'data-testid="named-list"' in body and "The 3 invited councils" in body
    edit = _body(client_for(p.programme_manager).get(reverse("grants:staff_round_edit", args=[world.round.slug])))
    assert "KEX, MDX, QWK" in edit and NOTE in edit


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "officer of a listed council",
        "signatory of a listed council",
        "officer of another listed council",
        "officer of an unlisted council",
        "linked to a listed council, no council role",
        "panel member employed by a listed council",
        "panel member (another round)",
        "panel chair (another round)",
        "manager of another programme",
    ],
)
def test_no_round_route_names_another_listed_council(world, client_for, who):
    user, own = _viewers(world)[who]
    client = client_for(user)
    forbidden = _forbidden(world, own)
    pages = {**_slug_routes(world), **_other_pages(), **_own_pages(world, own)}
    leaks = {}
    for name, url in pages.items():
        response = client.get(url)
        found = _leaks(_body(response), forbidden)
        if found:
            leaks[f"{name} {url} ({response.status_code})"] = found
    assert not leaks, leaks


def _round_page(client, rnd) -> str:
    return _body(client.get(reverse("grants:round_detail", args=[rnd.slug])))


def test_the_public_says_who_may_apply_in_words(world, client_for):
    body = _round_page(client_for(None), world.round)
    assert "Only councils invited by the programme" in body
    assert 'data-testid="named-list"' not in body and "(programme staff only)" not in body
    assert "to check whether your council can apply" in body


def test_an_officer_of_a_listed_council_is_told_it_is_invited(world, client_for):
    """Kent is invited; while it leads a live bid the page says so (as the start page would), and
    once that bid is withdrawn it may apply again."""
    p = world.personas
    start = reverse("applications:bid_start", args=[world.round.slug])
    for officer in (p.lead_officer, p.signatory):
        body = _round_page(client_for(officer), world.round)
        assert "The programme has invited Kent to bid in this round." in body
        assert "Kent already has a bid in this round" in body
        assert "Kent can apply to this round." not in body and start not in body
    type(world.kent_bid).objects.filter(pk=world.kent_bid.pk).update(status=BidStatus.WITHDRAWN)
    for officer in (p.lead_officer, p.signatory):
        body = _round_page(client_for(officer), world.round)
        assert "The programme has invited Kent to bid in this round." in body
        assert "Kent can apply to this round." in body and start in body


def test_an_officer_of_an_unlisted_council_is_told_it_is_not_invited(world, client_for):
    p = world.personas
    body = _round_page(client_for(p.other_officer), world.round)
    assert "This round is open only to councils the programme has invited, and Leeds has not been invited." in body
    assert "has invited Leeds" not in body
    start = _body(client_for(p.other_officer).get(reverse("applications:bid_start", args=[world.round.slug])))
    assert "You cannot start a bid" in start and "Leeds has not been invited" in start


@pytest.mark.parametrize(
    "who",
    [
        "linked to a listed council, no council role",
        "panel member employed by a listed council",
        "panel member (another round)",
        "manager of another programme",
    ],
)
def test_someone_acting_for_no_council_is_told_only_invited_councils_can_apply(world, client_for, who):
    """An assessor employed by an invited council is not told it is invited: they act for the funder."""
    user, _ = _viewers(world)[who]
    client = client_for(user)
    body = _round_page(client, world.round)
    assert "Only councils invited by the programme can apply." in body
    assert "has invited" not in body and "has not been invited" not in body and "can apply to this round" not in body
    start = _body(client.get(reverse("applications:bid_start", args=[world.round.slug])))
    # Told why in words that hold whatever the round (no council role, or no council at all).
    assert (
        "Only a council&#x27;s officers can bid for it." in start
        or "Only your council&#x27;s officers and authorised signatories can start a bid" in start
    )
    assert "has not been invited" not in start and "Start a bid" not in start.replace("start a bid in", "")


def test_the_round_opening_email_goes_to_invited_councils_and_names_no_other(world, django_capture_on_commit_callbacks):
    p = world.personas
    officers = [p.lead_officer, p.signatory, p.partner_officer, p.other_officer]
    for officer in officers:
        Preference.objects.create(user=officer, round_opening_alerts=True)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due.delay().get()
    sent = [m for m in mail.outbox if "is now open for bids" in m.subject]  # both open rounds
    cyber = [to for m in sent if m.subject.startswith(world.round.name) for to in m.to]
    assert sorted(cyber) == sorted(o.email for o in officers[:3])
    own = {o.email: o.organisation for o in officers}
    for message in sent:
        bodies = [message.subject, message.body] + [content for content, _ in message.alternatives]
        forbidden = _forbidden(world, own[message.to[0]])
        for body in bodies:
            assert not _leaks(body, forbidden), (message.to, body)
        if message.subject.startswith(world.round.name):
            assert "the programme has invited your council to bid" in message.body
    in_app = Notification.objects.filter(event="round_opening", dedupe_key=f"round_opening:{world.round.pk}")
    assert {n.recipient_id for n in in_app} == {o.pk for o in officers[:3]}
    for n in in_app:
        assert not _leaks(n.subject + json.dumps(n.context), _forbidden(world, n.recipient.organisation))


def _ordinary_award(world):
    """A grant in an ordinary round: the control that shows the 360Giving checks can see names."""
    leeds = world.personas.other_org
    rnd = f.RoundFactory(programme=world.personas.programme, name="Ordinary round")
    return AwardFactory(round=rnd, lead=leeds, reference="AW-ORD-1", status=AwardStatus.ACCEPTED)


def test_360giving_leaves_out_the_targeted_rounds_grants(world, tmp_path):
    ordinary = _ordinary_award(world)
    forbidden = _forbidden(world, None)
    for fmt in ("json", "csv"):
        out = tmp_path / f"grants.{fmt}"
        call_command("export_360giving", "--out", str(out))
        text = out.read_text()
        assert ordinary.lead.name in text and ordinary.reference in text
        assert world.medway_award.reference not in text
        assert not _leaks(text, forbidden)
    with pytest.raises(CommandError, match="open only to invited councils"):
        call_command("export_360giving", "--out", str(tmp_path / "r.json"), "--round", world.round.slug)


def test_published_360giving_snapshot_names_no_listed_council(world, client_for):
    ordinary = _ordinary_award(world)
    admin = client_for(world.personas.administrator)
    for fmt in ("json", "csv"):
        admin.post(reverse("reporting:open_data_publish"), {"format": fmt})
    anon = client_for(None)
    page = _body(anon.get(reverse("reporting:open_data")))
    assert "Grants from rounds open only to councils the programme invited are not published" in page
    files = list(PublishedFile.objects.all())
    assert len(files) == 2
    for pub in files:
        text = _body(anon.get(reverse("reporting:open_data_file", args=[pub.pk, pub.filename])))
        rows = json.loads(text)["grants"] if pub.fmt == "json" else list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == pub.grants == 1
        assert ordinary.lead.name in text
        assert not _leaks(text, _forbidden(world, None))


def test_staff_360giving_export_of_the_targeted_round_is_refused(world, client_for):
    with pytest.raises(reporting.ReportingError, match="open only to invited councils"):
        reporting.export_request(
            user=world.personas.programme_manager,
            table=reporting.OPEN_DATA,
            fmt="json",
            params={"round": world.round.slug},
        )
