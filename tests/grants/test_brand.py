"""Grantbench is not a GOV.UK service: its own mark, no crown, no GDS Transport typeface."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

STATIC = Path(settings.BASE_DIR) / "static"


def test_the_icons_browsers_ask_for_by_name_are_the_services_own(client):
    for path, kind in (
        ("/favicon.ico", "image/"),
        ("/favicon.svg", "image/svg"),
        ("/apple-touch-icon.png", "image/png"),
        ("/manifest.json", "application/json"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith(kind), path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"crown" not in body.lower() and b"gov.uk" not in body.lower(), path


def test_govuk_frontends_own_crown_and_fonts_are_not_served(client):
    for path in (
        "/assets/images/favicon.ico",
        "/assets/images/govuk-crest.svg",
        "/static/govuk/assets/images/favicon.ico",
    ):
        assert client.get(path).status_code == 404, path


def test_pages_carry_the_mark_and_link_no_crown(db, client):
    html = client.get(reverse("grants:round_list")).content.decode()
    assert 'href="/favicon.ico"' in html and 'href="/favicon.svg"' in html
    assert "grantbench-logo" in html and "govuk-header__logotype" not in html
    assert "crown" not in html.lower() and "govuk-icon" not in html


def test_the_compiled_govuk_frontend_uses_arial_and_declares_no_font_face():
    css = (STATIC / "govuk" / "govuk-frontend.min.css").read_text()  # built by `make css`
    assert "@font-face" not in css
    assert "GDS Transport" not in css
    assert "crest" not in css and "url(" not in css  # the footer crest's image is none
    assert "font-family:arial,sans-serif" in css.replace(", ", ",")
    assert '--govuk-frontend-version: "6.' in css
    own = (STATIC / "css" / "grantbench.css").read_text()
    assert "GDS Transport" not in own
