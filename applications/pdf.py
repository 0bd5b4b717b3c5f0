"""A round's questions and a council's bid as PDFs, rendered by WeasyPrint from templates whose
HTML the tests read (a PDF's text is not plain in its bytes). Same pattern as the offer letter."""

from django.template.loader import render_to_string


def questions_html(context: dict) -> str:
    return render_to_string("applications/round_questions_pdf.html", context)


def bid_html(context: dict) -> str:
    return render_to_string("applications/bid_pdf.html", context)


def as_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only these downloads need

    return HTML(string=html).write_pdf()
