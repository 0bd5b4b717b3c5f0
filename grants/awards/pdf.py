"""The offer letter as a PDF, rendered by WeasyPrint from the same template as the page."""

from django.template.loader import render_to_string


def offer_letter_html(context: dict) -> str:
    """The HTML the PDF is made from (tests read it: a PDF's text is not plain in its bytes)."""
    return render_to_string("awards/offer_letter_pdf.html", context)


def offer_letter_pdf(context: dict) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only this page needs

    return HTML(string=offer_letter_html(context)).write_pdf()
