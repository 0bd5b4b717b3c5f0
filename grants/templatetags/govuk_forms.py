"""GOV.UK form markup decided in Python: which component a field is, the classes its input
gets, and the ids that describe it (hint, error). Used by the template pack in templates/gds/
and by every page through `{% error_summary form %}` and `{% back_link url %}`.

Ids follow one pattern: the hint is `<field id>_hint`, the error `<field id>_error`, radio and
checkbox options `<field id>_1`, `<field id>_2`..., date boxes `<field id>_0`, `_1`, `_2`
(grants/templatetags/govuk_errors.py links the error summary to them).
"""

from django import forms, template
from django.utils.html import format_html

register = template.Library()


@register.inclusion_tag("gds/layout/error_summary.html")
def error_summary(form):
    return {"form": form}


@register.simple_tag
def back_link(url, title: str = "Back"):
    return format_html('<a href="{}" class="govuk-back-link">{}</a>', url, title)


@register.filter
def govuk_kind(bound_field) -> str:
    """Which GOV.UK component draws the field."""
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect too, so asked first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.MultiWidget):
        return "date"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.filter
def described_by(bound_field) -> str:
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_hint")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_error")
    return " ".join(ids)


INPUT_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


@register.filter
def govuk_input(bound_field, kind: str):
    """The field's input, select or textarea with its GOV.UK class, error state and description."""
    base = INPUT_CLASS.get(kind, "govuk-input")
    classes = bound_field.field.widget.attrs.get("class", "").split()
    if base not in classes:
        classes.insert(0, base)
    attrs = {}
    if bound_field.errors:
        if kind != "checkbox":
            classes.append(f"{base}--error")
        attrs["aria-invalid"] = "true"
    if describing := described_by(bound_field):
        attrs["aria-describedby"] = describing
    attrs["class"] = " ".join(classes)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def govuk_options(bound_field) -> list[dict]:
    """Radio or checkbox options, numbered from 1 as GOV.UK's macros number them."""
    return [
        {
            "id": f"{bound_field.auto_id}_{number}",
            "value": option.data["value"],
            "label": option.choice_label,
            "checked": option.data["selected"],
        }
        for number, option in enumerate(bound_field.subwidgets, start=1)
    ]


@register.filter
def date_parts(bound_field) -> list[dict]:
    """The boxes of a date input (day, month, year, and time where there is one). A box with an
    error of its own is marked; an error about the whole date marks every box."""
    field, widget = bound_field.field, bound_field.field.widget
    context = widget.get_context(bound_field.html_name, bound_field.value(), {"id": bound_field.auto_id})
    part_errors = [getattr(part.widget, "errors", []) for part in getattr(field, "fields", ())]
    any_part_error = any(part_errors)
    parts = []
    for index, sub in enumerate(context["widget"]["subwidgets"]):
        attrs = dict(sub["attrs"])
        label = attrs.pop("label", "")
        own_error = index < len(part_errors) and bool(part_errors[index])
        error = own_error or (bool(bound_field.errors) and not any_part_error)
        classes = attrs.pop("class", "govuk-input govuk-date-input__input")
        parts.append(
            {
                "id": attrs.get("id", f"{bound_field.auto_id}_{index}"),
                "name": sub["name"],
                "value": "" if sub["value"] is None else sub["value"],
                "label": label,
                "classes": f"{classes} govuk-input--error" if error else classes,
                "inputmode": attrs.get("inputmode", "numeric" if label != "Time" else ""),
            }
        )
    return parts
