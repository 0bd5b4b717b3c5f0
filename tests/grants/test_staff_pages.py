"""The role matrix of the foundation's pages, and staff forms with their validation."""

from datetime import timedelta

import pytest
from django.urls import reverse

from grants.models import AuditEvent, Programme, Round
from tests import factories as f

COUNCIL = ["lead_officer", "partner_officer", "other_officer"]
PANEL = ["assessor", "conflicted_assessor", "panel_chair"]
ALL = [
    "anonymous",
    *COUNCIL,
    *PANEL,
    "programme_manager",
    "other_programme_manager",
    "finance_officer",
    "board_viewer",
    "administrator",
]


def expected(default: int, **overrides: int) -> dict[str, int]:
    return {p: overrides.get(p, default) for p in ALL}


def staff_area(pm: int, other_pm: int, finance: int, board: int, admin: int = 200) -> dict[str, int]:
    """Anonymous is sent to sign in; council and panel users are refused."""
    return expected(
        403,
        anonymous=302,
        programme_manager=pm,
        other_programme_manager=other_pm,
        finance_officer=finance,
        board_viewer=board,
        administrator=admin,
    )


MATRIX = {
    "home": expected(200),
    "round_list": expected(200),
    "round_detail": expected(200),
    "draft_round_detail": expected(
        404, programme_manager=200, finance_officer=200, board_viewer=200, administrator=200
    ),
    "staff_home": staff_area(200, 200, 200, 200),
    "programme_detail": staff_area(200, 404, 200, 200),
    "programme_create": staff_area(200, 200, 403, 403),
    "programme_edit": staff_area(200, 404, 404, 404),
    "round_create": staff_area(200, 404, 404, 404),
    "round_edit": staff_area(200, 404, 404, 404),
    "organisations": staff_area(200, 200, 200, 200),
    "organisation_create": staff_area(200, 200, 403, 403),
    "organisation_edit": staff_area(200, 200, 403, 403),
    "council_edit": staff_area(404, 404, 403, 403, admin=404),  # councils change only with the register
    "organisation_search_json": expected(200, anonymous=302),
    "users": staff_area(403, 403, 403, 403),
    "user_detail": staff_area(403, 403, 403, 403),
    "manager_add": staff_area(403, 403, 403, 403, admin=405),  # a form post from the programme page
    "manager_remove": staff_area(403, 403, 403, 403, admin=405),
}


def urls_for(p) -> dict[str, str]:
    draft = f.RoundFactory(programme=p.programme, published=False, slug="draft-round")
    return {
        "home": reverse("home"),
        "round_list": reverse("grants:round_list"),
        "round_detail": reverse("grants:round_detail", args=[p.round.slug]),
        "draft_round_detail": reverse("grants:round_detail", args=[draft.slug]),
        "staff_home": reverse("grants:staff_home"),
        "programme_detail": reverse("grants:staff_programme_detail", args=[p.programme.slug]),
        "programme_create": reverse("grants:staff_programme_create"),
        "programme_edit": reverse("grants:staff_programme_edit", args=[p.programme.slug]),
        "round_create": reverse("grants:staff_round_create", args=[p.programme.slug]),
        "round_edit": reverse("grants:staff_round_edit", args=[p.round.slug]),
        "organisations": reverse("grants:staff_organisations"),
        "organisation_create": reverse("grants:staff_organisation_create"),
        "organisation_edit": reverse("grants:staff_organisation_edit", args=[p.programme.funder.pk]),
        "council_edit": reverse("grants:staff_organisation_edit", args=[p.lead_org.pk]),
        "organisation_search_json": reverse("grants:organisation_search_json") + "?q=Kent",
        "users": reverse("grants:staff_users"),
        "user_detail": reverse("grants:staff_user", args=[p.lead_officer.pk]),
        "manager_add": reverse("grants:staff_programme_manager_add", args=[p.programme.slug]),
        "manager_remove": reverse(
            "grants:staff_programme_manager_remove", args=[p.programme.slug, p.programme_manager.pk]
        ),
    }


def test_role_matrix(personas, client_for):
    urls = urls_for(personas)
    failures = []
    for name, user in personas.all().items():
        client = client_for(user)
        for page, url in urls.items():
            status = client.get(url).status_code
            if status != MATRIX[page][name]:
                failures.append(f"{name} {page}: got {status}, expected {MATRIX[page][name]}")
    assert not failures, "\n".join(failures)


def test_staff_without_mfa_must_set_it_up_first(db, client_for):
    pm = f.StaffRoleFactory(role="programme_manager", programme=f.ProgrammeFactory()).user
    response = client_for(pm).get(reverse("grants:staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_mfa_redirect_keeps_the_query_string_in_next(db, client_for):
    from urllib.parse import parse_qs, urlsplit

    pm = f.StaffRoleFactory(role="programme_manager", programme=f.ProgrammeFactory()).user
    response = client_for(pm).get(reverse("grants:staff_organisations") + "?q=Kent&page=2")
    assert parse_qs(urlsplit(response.url).query)["next"] == [reverse("grants:staff_organisations") + "?q=Kent&page=2"]


def test_panel_member_without_mfa_must_set_it_up_first(db, client_for):
    member = f.PanelMemberFactory().user
    response = client_for(member).get(reverse("grants:organisation_search_json"))
    assert response.url.startswith(reverse("mfa_activate_totp"))
    # Public pages stay open while they set it up.
    assert client_for(member).get(reverse("grants:round_list")).status_code == 200


def _round_post(**overrides) -> dict:
    data = {
        "name": "Cyber Security phase 2",
        "slug": "cyber-phase-2",
        "reference_prefix": "CYB2",
        "financial_year": "2019",
        "budget": "1000000",
        "min_award": "1000",
        "max_award": "15000",
        "match_funding_percent": "0",
        "opens_at": "2026-10-25T09:00",
        "closes_at": "2026-11-30T12:00",
        "assessment_deadline": "",
        "decision_date": "",
        "prospectus": "For councils at greatest risk.",
        "england_only": "on",
        "eligibility_note": "",
        "joint_bids_allowed": "on",
        "max_partners": "3",
        "published": "on",
        "eligible_codes": "",
    }
    data.update(overrides)
    return data


def test_manager_creates_a_round_in_uk_time(personas, client_for):
    client = client_for(personas.programme_manager)
    url = reverse("grants:staff_round_create", args=[personas.programme.slug])
    org = f.OrganisationFactory(code="QRZ")
    response = client.post(url, _round_post(eligible_codes="qrz", eligible_kinds=["district", "unitary"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    rnd = Round.objects.get(slug="cyber-phase-2")
    assert rnd.programme == personas.programme
    assert rnd.opens_at.utcoffset() == timedelta(0)  # stored in UTC
    from django.utils import timezone

    assert timezone.localtime(rnd.opens_at).hour == 9  # 9am UK time (BST on 25 October 2026)
    assert timezone.localtime(rnd.opens_at).utcoffset() == timedelta(0)  # the clocks went back that morning
    assert list(rnd.eligible_organisations.all()) == [org]
    assert rnd.eligible_kinds == ["district", "unitary"]
    assert AuditEvent.objects.filter(
        action="round.create", target_id=str(rnd.pk), actor=personas.programme_manager
    ).exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"closes_at": "2026-10-01T09:00"}, "The closing date must be after the opening date"),
        ({"min_award": "20000"}, "The minimum award must be no more than the maximum award"),
        ({"max_award": "2000000"}, "The maximum award must be no more than the budget"),
        ({"eligible_codes": "ZZZ"}, "No organisation has these codes: ZZZ"),
        ({"reference_prefix": "bad prefix"}, "Bid reference prefix must be 2 to 10 capital letters or digits"),
        ({"budget": "lots"}, "Budget must be an amount in pounds, like 25000 or 25,000.50"),
        ({"budget": "1e5"}, "Budget must be an amount in pounds, like 25000 or 25,000.50"),
        ({"budget": ""}, "Enter the budget"),
        ({"budget": "-1"}, "Budget must be £0 or more"),
        ({"name": ""}, "Enter the round name"),
        ({"slug": ""}, "Enter the web address"),
        ({"slug": "not a slug!"}, "Web address must only include letters, numbers and hyphens"),
        ({"slug": "this-round"}, "A round with this web address already exists"),
        ({"reference_prefix": "THIS"}, "A round with this bid reference prefix already exists"),
        ({"financial_year": ""}, "Enter the financial year"),
        ({"financial_year": "1999"}, "Financial year must be between 2000 and 2100"),
        ({"match_funding_percent": "101"}, "Match funding required must be 100% or less"),
        ({"match_funding_percent": ""}, "Enter the match funding required, or 0 for none"),
        ({"max_partners": ""}, "Enter the most partners on a joint bid"),
        ({"max_partners": "-1"}, "Most partners on a joint bid must be 0 or more"),
        ({"eligible_kinds": ["nonsense"]}, "Select types of organisation from the list"),
        ({"opens_at": ""}, "Enter the date and time the round opens"),
        ({"closes_at": ""}, "Enter the date and time the round closes"),
        ({"closes_at": "tomorrowish"}, "Closes must be a real date"),
        ({"closes_at": "2026-03-29T01:30"}, "Closes must be a time that exists in the UK"),
    ],
)
def test_round_form_errors_are_shown_in_an_error_summary(personas, client_for, overrides, message):
    client = client_for(personas.programme_manager)
    url = reverse("grants:staff_round_create", args=[personas.programme.slug])
    response = client.post(url, _round_post(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    kept = "Cyber Security phase 2" if "name" not in overrides else "cyber-phase-2"
    assert f'value="{kept}"' in html  # what was typed is kept
    assert not Round.objects.filter(slug="cyber-phase-2").exists()


def test_round_form_never_shows_django_default_messages(personas, client_for):
    client = client_for(personas.programme_manager)
    url = reverse("grants:staff_round_create", args=[personas.programme.slug])
    blank = dict.fromkeys(_round_post(), "")
    html = client.post(url, {**blank, "budget": "-1", "min_award": "-1", "max_award": "-1"}).content.decode()
    for default in ("This field is required", "Ensure this value", "Enter a number.", "with this Slug"):
        assert default not in html


def test_error_summary_links_reach_an_element_on_the_page(personas, client_for):
    import re

    client = client_for(personas.programme_manager)
    url = reverse("grants:staff_round_create", args=[personas.programme.slug])
    html = client.post(
        url, _round_post(eligible_kinds=["nonsense"], eligible_regions=["Narnia"], opens_at="", closes_at="x")
    ).content.decode()
    summary = html[html.index("govuk-error-summary__list") :]
    targets = re.findall(r'href="#([^"]+)"', summary[: summary.index("</ul>")])
    assert "id_eligible_kinds_1" in targets and "id_eligible_regions_1" in targets
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    assert targets and not [t for t in targets if t not in ids]


def test_administrator_creates_a_programme(personas, client_for):
    funder = f.FunderFactory()
    response = client_for(personas.administrator).post(
        reverse("grants:staff_programme_create"),
        {
            "name": "Design in the Public Sector",
            "slug": "design",
            "code": "DPS",
            "description": "With the Design Council",
            "funder": funder.pk,
        },
    )
    assert response.status_code == 302
    assert Programme.objects.get(slug="design").funder == funder


@pytest.mark.parametrize("bad_id", ["99999999999999999999999999", "-99999999999999999999", "9223372036854775808"])
def test_an_id_too_large_for_any_column_is_a_form_error_not_a_500(personas, client_for, bad_id):
    funder = f.FunderFactory()
    data = {"name": "Design", "slug": "design", "code": "DPS", "funder": funder.pk, "partner_bodies": [bad_id]}
    response = client_for(personas.administrator).post(reverse("grants:staff_programme_create"), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert not Programme.objects.filter(slug="design").exists()
    data["funder"] = bad_id
    data["partner_bodies"] = [funder.pk]
    response = client_for(personas.administrator).post(reverse("grants:staff_programme_create"), data)
    assert response.status_code == 200 and "govuk-error-summary" in response.text


def test_manager_edits_round_and_change_is_audited(personas, client_for):
    client = client_for(personas.programme_manager)
    url = reverse("grants:staff_round_edit", args=[personas.round.slug])
    page = client.get(url)
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("prospectus_document",)}
    data.update(
        {
            "name": "Renamed round",
            "opens_at": form.initial["opens_at"].strftime("%Y-%m-%dT%H:%M"),
            "closes_at": form.initial["closes_at"].strftime("%Y-%m-%dT%H:%M"),
            "england_only": "on",
            "published": "on",
            "joint_bids_allowed": "on",
            "assessment_deadline": "",
            "decision_date": "",
        }
    )
    data.pop("eligible_kinds", None)
    data.pop("eligible_regions", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    personas.round.refresh_from_db()
    assert personas.round.name == "Renamed round"
    event = AuditEvent.objects.get(action="round.update")
    assert event.data["changes"]["name"][1] == "Renamed round"


def test_add_a_public_body(personas, client_for):
    response = client_for(personas.programme_manager).post(
        reverse("grants:staff_organisation_create"),
        {
            "name": "Kent Police",
            "short_name": "Kent Police",
            "kind": "police",
            "region": "South East",
            "other_identifier": "",
            "gss_code": "",
        },
    )
    assert response.status_code == 302
    from grants.models import Organisation

    assert Organisation.objects.get(name="Kent Police").kind == "police"


def test_organisation_search_json(personas, client_for):
    data = client_for(personas.lead_officer).get(reverse("grants:organisation_search_json") + "?q=MDX").json()
    assert [r["name"] for r in data["results"]] == ["Medway"]


def test_staff_home_query_count_is_fixed(personas, client_for, django_assert_max_num_queries):
    for _ in range(5):
        f.RoundFactory(programme=f.ProgrammeFactory())
    client = client_for(personas.administrator)
    with django_assert_max_num_queries(12):
        client.get(reverse("grants:staff_home"))


def test_public_round_list_query_count_is_fixed(db, client, django_assert_max_num_queries):
    for _ in range(10):
        f.RoundFactory()
    with django_assert_max_num_queries(3):
        assert client.get(reverse("grants:round_list")).status_code == 200


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_programme_detail_query_count_is_fixed(personas, client_for, django_assert_max_num_queries):
    from grants.services import programme_save

    client = client_for(personas.administrator)  # the fullest page: managers section and forms
    url = reverse("grants:staff_programme_detail", args=[personas.programme.slug])
    before = _queries(client, url)
    for n in range(8):
        f.RoundFactory(programme=personas.programme)
        f.StaffRoleFactory(role="programme_manager", programme=personas.programme)
        programme_save(
            actor=personas.administrator, programme=personas.programme, partner_bodies=[f.FunderFactory()], name=f"P{n}"
        )
    with django_assert_max_num_queries(before):
        client.get(url)
    assert before <= 20


def test_organisation_list_query_count_is_fixed(personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.programme_manager)
    url = reverse("grants:staff_organisations")
    before, before_search = _queries(client, url), _queries(client, url + "?q=Testshire")
    for _ in range(30):
        f.OrganisationFactory()
        f.FunderFactory()
    with django_assert_max_num_queries(before):
        client.get(url)
    with django_assert_max_num_queries(before_search):
        client.get(url + "?q=Testshire")
    assert max(before, before_search) <= 12


def test_round_detail_query_count_is_fixed(personas, client_for, django_assert_max_num_queries):
    staff, council = client_for(personas.programme_manager), client_for(personas.lead_officer)
    url = reverse("grants:round_detail", args=[personas.round.slug])
    personas.round.eligible_organisations.add(personas.lead_org)
    before = {who: _queries(c, url) for who, c in (("staff", staff), ("council", council))}
    personas.round.eligible_organisations.add(*[f.OrganisationFactory() for _ in range(30)])
    for who, c in (("staff", staff), ("council", council)):
        with django_assert_max_num_queries(before[who]):
            c.get(url)
    assert max(before.values()) <= 15


def test_staff_find_their_way_from_a_round_to_its_bids_assessment_and_monitoring(personas, client_for):
    slug = personas.round.slug
    managing = [
        reverse("grants:staff_round_edit", args=[slug]),
        reverse("applications:staff_questions", args=[slug]),
        reverse("applications:staff_extensions", args=[slug]),
        reverse("scoring:panel", args=[slug]),
    ]
    reading = [
        reverse("applications:staff_bid_list", args=[slug]),
        reverse("scoring:ranking", args=[slug]),
        reverse("awards:round_monitoring", args=[slug]),
    ]
    pages = [
        reverse("grants:staff_programme_detail", args=[personas.programme.slug]),
        reverse("grants:round_detail", args=[slug]),
    ]
    for page in pages:
        manager_html = client_for(personas.programme_manager).get(page).text
        board_html = client_for(personas.board_viewer).get(page).text
        for link in managing + reading:
            assert f'href="{link}"' in manager_html, (page, link)
        for link in reading:
            assert f'href="{link}"' in board_html, (page, link)
        for link in managing:
            assert f'href="{link}"' not in board_html, (page, link)
        # Each link works for who sees it.
        for link in managing + reading:
            assert client_for(personas.programme_manager).get(link).status_code == 200, link
    council_html = client_for(personas.lead_officer).get(reverse("grants:round_detail", args=[slug])).text
    assert 'data-testid="staff-links"' not in council_html


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": ""}, "Enter the programme name"),
        ({"slug": ""}, "Enter the web address"),
        ({"code": ""}, "Enter the programme code"),
        ({"funder": ""}, "Select the funder"),
        ({"funder": "0"}, "Select the funder from the list"),
        ({"name": "Other programme"}, "A programme with this name already exists"),
        ({"slug": "other-programme"}, "A programme with this web address already exists"),
        ({"code": "x" * 21}, "Programme code must be 20 characters or fewer"),
    ],
)
def test_programme_form_messages_name_the_field(personas, client_for, overrides, message):
    data = {"name": "Design", "slug": "design", "code": "DPS", "funder": personas.programme.funder.pk, **overrides}
    response = client_for(personas.administrator).post(reverse("grants:staff_programme_create"), data)
    assert response.status_code == 200
    assert message in response.text
    assert "This field is required" not in response.text
