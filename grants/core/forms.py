"""What every app's forms and form pages share: the GOV.UK crispy helper, and a service's
refusal shown on the form it came from rather than as a 500."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpResponse

from .layout import FormHelper, Layout, Size, Submit


def gov_helper(*layout, submit: str, checkboxes_small: bool = False, warning: bool = False) -> FormHelper:
    """Small labels and legends and one submit button at the end: every form looks alike. A button
    that destroys something (`warning`) is GOV.UK's red warning button."""
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    if checkboxes_small:
        helper.checkboxes_small = True
    button = Submit("submit", submit, css_class="govuk-button--warning") if warning else Submit("submit", submit)
    helper.layout = Layout(*layout, button)
    return helper


def errors_onto_form(form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: field errors by the field, the rest at the top
    (also errors about a field the form does not have, which would otherwise be lost)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def save_with_form(request, form, save: Callable[[dict], HttpResponse]) -> HttpResponse | None:
    """Run `save` (which calls a service and answers, usually with a redirect) on a valid POST.
    None means show the page again: not posted, not valid, or refused by the service, whose
    errors are then on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            return save(form.cleaned_data)
        except ValidationError as exc:
            errors_onto_form(form, exc)
    return None
