"""The offer letter as a PDF, rendered by WeasyPrint from the same template as the page."""

from django.template.loader import render_to_string


def offer_letter_pdf(context: dict) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only this page needs

    html = render_to_string("awards/offer_letter_pdf.html", context)
    return HTML(string=html).write_pdf()
