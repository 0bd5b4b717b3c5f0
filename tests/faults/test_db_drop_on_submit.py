"""The database dropping during a submit: the draft is intact and the council gets an error page.

The fault is injected below the ORM with `connection.execute_wrapper`: the UPDATE of the bid row
fails with OperationalError as if the connection was lost mid-transaction.
"""

from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client

from applications.models import Answer, BidStatus, EvidenceFile
from tests.security.world import build_world

SUBMIT = {"declaration_name": "Sam Chief", "declaration_role": "Chief Executive", "confirm": "on"}


class DropOnBidUpdate:
    def __init__(self):
        self.fired = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('UPDATE "APPLICATIONS_BID"'):
            self.fired += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def _snapshot(bid):
    bid.refresh_from_db()
    return (
        bid.status,
        bid.reference,
        bid.submitted_at,
        bid.title,
        dict(Answer.objects.filter(bid=bid).values_list("question_id", "value")),
        sorted(EvidenceFile.objects.filter(bid=bid).values_list("pk", flat=True)),
    )


def test_submit_with_the_database_dropping_keeps_the_draft_and_shows_an_error_page(personas):
    world = build_world(personas)
    bid = world.draft_bid
    before = _snapshot(bid)
    client = Client(raise_request_exception=False)
    client.force_login(personas.lead_officer)
    url = f"/bids/{bid.pk}/check/"
    assert client.get(url).status_code == 200
    fault = DropOnBidUpdate()
    with connection.execute_wrapper(fault):
        response = client.post(url, SUBMIT)
    assert fault.fired, response.content.decode()[-6000:]
    assert response.status_code in (500, 503)
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body or "Sorry, the service is unavailable" in body
    assert "govuk-template__header" in body  # the GOV.UK page from templates, not Django's bare text
    after = _snapshot(bid)
    assert after == before and after[0] == BidStatus.DRAFT and after[4]

    # Control: with the database back, the same submission goes through.
    response = client.post(url, SUBMIT)
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED and bid.reference


def test_error_pages_render_without_a_request():
    """Django renders 500.html with no context processors: it must still be a full GOV.UK page."""
    for name, heading in (("500.html", "problem with the service"), ("503.html", "service is unavailable")):
        html = render_to_string(name)
        assert heading in html and "govuk-footer" in html and "/static/govuk/govuk-frontend" in html
