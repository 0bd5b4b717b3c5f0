"""Error summary links that land on an element the page has.

The template pack (templates/gds) numbers checkbox and radio inputs `id_<name>_1`, `id_<name>_2`..., so the
field's own id (`id_<name>`) names nothing and a link to it goes nowhere; GOV.UK asks for the
link to reach the first option. Date inputs link to their first box with an error.
"""

from django import forms, template

register = template.Library()


def field_anchor(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def error_links(bound_field) -> list[tuple[str, str]]:
    """(anchor id, message) for each error of the field, parts of a date pointing at their box."""
    links, seen = [], set()
    for index, subfield in enumerate(getattr(bound_field.field, "fields", ())):
        for error in getattr(subfield.widget, "errors", []):  # grants.core.fields sets these per box
            links.append((f"{bound_field.auto_id}_{index}", error))
            seen.add(error)
    links += [(field_anchor(bound_field), error) for error in bound_field.errors if error not in seen]
    return links


@register.filter
def first_anchor(form) -> str:
    fields = form.visible_fields()
    return field_anchor(fields[0]) if fields else "main-content"
