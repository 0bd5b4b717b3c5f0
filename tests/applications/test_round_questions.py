"""Read before you start: a round's questions on a public page and as a PDF."""

from datetime import timedelta

from django.urls import reverse

from applications import pdf
from applications.models import BidStage, QuestionType
from applications.views.printable import _questions_context

from .factories import QuestionFactory, SectionFactory


def _url(rnd, name="applications:round_questions"):
    return reverse(name, args=[rnd.slug])


def test_page_lists_every_question_in_order_with_hint_limit_and_type(personas, client_for, form):
    form["aim"].hint = "Say who benefits and how."
    form["aim"].save()
    r = client_for(None).get(_url(personas.round))  # public: no sign-in
    assert r.status_code == 200
    body = r.content.decode()
    for text in ("About the project", "Evidence", "What is the aim?", "How many people?", "Total cost", "Project plan"):
        assert text in body
    assert body.index("What is the aim?") < body.index("How many people?") < body.index("Project plan")
    assert "Say who benefits and how." in body
    assert "Long text, up to 10 words" in body
    assert "Choose one of: Skills; Devices" in body
    assert "File upload: attach a document as evidence" in body
    assert "Total cost</strong> (optional)" in body
    # The bid details asked of every bid, with the round's own limits through the money formatter.
    assert "Amount requested" in body and "Match funding offered" in body and "Partners" in body
    assert "Print this page" in body and _url(personas.round, "applications:round_questions_pdf") in body


def test_linked_from_the_round_page_and_the_start_page(personas, client_for):
    url = _url(personas.round)
    assert url in client_for(None).get(personas.round.get_absolute_url()).content.decode()
    start = client_for(personas.lead_officer).get(reverse("applications:bid_start", args=[personas.round.slug]))
    assert start.status_code == 200 and url in start.content.decode()


def test_unpublished_round_is_404_to_the_public_and_open_to_its_staff(personas, client_for, form):
    personas.round.published = False
    personas.round.save()
    for who in (None, personas.lead_officer, personas.other_programme_manager):
        assert client_for(who).get(_url(personas.round)).status_code == 404
        assert client_for(who).get(_url(personas.round, "applications:round_questions_pdf")).status_code == 404
    r = client_for(personas.programme_manager).get(_url(personas.round))
    assert r.status_code == 200 and "What is the aim?" in r.content.decode()


def test_two_stage_round_shows_each_stage_under_its_heading(personas, client_for, form):
    rnd = personas.round
    rnd.eoi_closes_at = rnd.closes_at - timedelta(days=14)
    rnd.save()
    eoi = SectionFactory(round=rnd, title="Your idea in brief", order=0, stage=BidStage.EOI)
    QuestionFactory(section=eoi, text="Describe the idea", type=QuestionType.LONG_TEXT, word_limit=250)
    body = client_for(None).get(_url(rnd)).content.decode()
    assert body.index("Expression of interest") < body.index("Describe the idea")
    assert body.index("Describe the idea") < body.index("Full bid (by invitation)") < body.index("What is the aim?")
    assert "Long text, up to 250 words" in body


def test_one_stage_round_has_no_stage_headings(personas, client_for, form):
    body = client_for(None).get(_url(personas.round)).content.decode()
    assert "Full bid (by invitation)" not in body


def test_queries_do_not_grow_with_questions(personas, client_for, form, django_assert_max_num_queries):
    client = client_for(None)
    client.get(_url(personas.round))  # warm caches (sessions, site settings)
    with django_assert_max_num_queries(6) as small:
        client.get(_url(personas.round))
    for n in range(4):
        section = SectionFactory(round=personas.round, title=f"More {n}", order=10 + n)
        for m in range(5):
            QuestionFactory(section=section, text=f"Extra {n}.{m}", order=m)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(_url(personas.round)).content.decode()
    assert "Extra 3.4" in body


def test_pdf_is_made_from_the_questions(personas, client_for, form):
    r = client_for(None).get(_url(personas.round, "applications:round_questions_pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 2000
    assert "applications/round_questions_pdf.html" in [t.name for t in r.templates]
    html = pdf.questions_html(_questions_context(personas.round))
    assert "What is the aim?" in html and "Long text, up to 10 words" in html and personas.round.name in html
