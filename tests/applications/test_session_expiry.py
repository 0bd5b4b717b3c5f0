"""A draft survives the session expiring; answers posted after it expired are offered back after
signing in, never saved unasked and never lost."""

from django.contrib.sessions.models import Session

from applications.models import Answer
from tests import factories as f

from .test_services import start


def _sign_in(client, user, next_url: str = ""):
    return client.post(f"/accounts/login/?next={next_url}", {"login": user.email, "password": f.PASSWORD})


def test_saved_draft_survives_session_expiry(personas, client, form):
    bid = start(personas)
    _sign_in(client, personas.lead_officer)
    section = f"/bids/{bid.pk}/sections/{form['about'].pk}/"
    client.post(section, {f"q_{form['aim'].pk}": "Reach older people", f"q_{form['people'].pk}": "1,200"})
    Session.objects.all().delete()  # the session expired overnight
    assert client.get(f"/bids/{bid.pk}/")["Location"].startswith("/accounts/login/")
    assert _sign_in(client, personas.lead_officer).status_code == 302
    page = client.get(section).content.decode()
    assert "Reach older people" in page and 'value="1200"' in page
    assert "Completed" in client.get(f"/bids/{bid.pk}/").content.decode()


def test_answers_posted_after_expiry_are_offered_back_after_signing_in(personas, client, form):
    bid = start(personas)
    _sign_in(client, personas.lead_officer)
    section = f"/bids/{bid.pk}/sections/{form['about'].pk}/"
    client.post(section, {f"q_{form['aim'].pk}": "First version"})
    Session.objects.all().delete()
    typed = {f"q_{form['aim'].pk}": "A long answer typed over lunch", f"q_{form['people'].pk}": "75"}
    response = client.post(section, typed)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert Answer.objects.get(bid=bid, question=form["aim"]).value == "First version"  # nothing saved signed out
    signed_in = _sign_in(client, personas.lead_officer, section)
    assert signed_in["Location"] == section
    page = client.get(section).content.decode()
    assert "A long answer typed over lunch" in page and 'value="75"' in page
    assert "You were signed out before your answers were saved" in page
    assert Answer.objects.get(bid=bid, question=form["aim"]).value == "First version"  # still asks to save
    # Offered once: after that the page shows what is saved.
    assert "A long answer typed over lunch" not in client.get(section).content.decode()


def test_kept_answers_are_only_offered_to_someone_who_may_edit_that_bid(personas, client, form):
    bid = start(personas)
    section = f"/bids/{bid.pk}/sections/{form['about'].pk}/"
    client.post(section, {f"q_{form['aim'].pk}": "Planted text"})
    _sign_in(client, personas.other_officer)
    assert client.get(section).status_code == 404
