"""The project's own GOV.UK template pack for django-crispy-forms: the few layout objects its
forms use (Field, Fieldset, Submit, HTML, Layout) and a helper carrying label and legend sizes.

The markup lives in templates/gds/ (the pack is still called "gds"); the per-widget decisions
(which GOV.UK class, which ids describe an input) are in grants/templatetags/govuk_forms.py.
"""

from crispy_forms import layout as crispy_layout
from crispy_forms.helper import FormHelper as CrispyFormHelper
from crispy_forms.utils import TEMPLATE_PACK

HTML = crispy_layout.HTML
Layout = crispy_layout.Layout
Div = crispy_layout.Div


class Size:
    """GOV.UK's label and legend sizes: the suffix of govuk-label--s, govuk-fieldset__legend--m."""

    SMALL = "s"
    MEDIUM = "m"
    LARGE = "l"
    EXTRA_LARGE = "xl"


class FormHelper(CrispyFormHelper):
    """Sizes for every label and legend of the form; a Field's own size wins over these.

    Forms render without the browser's `required` attribute: GOV.UK validates on the server, so
    the error summary, not the browser's tooltip, tells people what is missing."""

    label_size = ""
    legend_size = ""
    checkboxes_small = False

    def render_layout(self, form, context, template_pack=TEMPLATE_PACK):
        form.use_required_attribute = False
        context["label_size"] = self.label_size
        context["legend_size"] = self.legend_size
        context["checkboxes_small"] = self.checkboxes_small
        return super().render_layout(form, context, template_pack=template_pack)


class Field(crispy_layout.Field):
    """One field, with the options GOV.UK's components take, named as its macros name them."""

    def __init__(self, *fields, context: dict | None = None, **kwargs):
        super().__init__(*fields, **kwargs)
        self.context = context or {}

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        return super().render(
            form, context, template_pack=template_pack, extra_context={**self.context, **(extra_context or {})}
        )

    @classmethod
    def text(cls, name: str, *, field_width: int | None = None, label_size: str | None = None, **kwargs) -> "Field":
        if field_width:
            kwargs["css_class"] = f"govuk-input--width-{field_width}"
        return cls(name, context=_sizes(label_size=label_size), **kwargs)

    @classmethod
    def textarea(cls, name: str, *, rows: int | None = None, label_size: str | None = None, **kwargs) -> "Field":
        if rows:
            kwargs["rows"] = rows
        return cls(name, context=_sizes(label_size=label_size), **kwargs)

    @classmethod
    def radios(cls, name: str, *, inline: bool = False, legend_size: str | None = None, **kwargs) -> "Field":
        return cls(name, context={**_sizes(legend_size=legend_size), "radios_inline": inline}, **kwargs)

    @classmethod
    def checkboxes(cls, name: str, *, small: bool = False, legend_size: str | None = None, **kwargs) -> "Field":
        context = _sizes(legend_size=legend_size)
        if small:
            context["checkboxes_small"] = True
        return cls(name, context=context, **kwargs)

    @classmethod
    def select(cls, name: str, *, label_size: str | None = None, **kwargs) -> "Field":
        return cls(name, context=_sizes(label_size=label_size), **kwargs)


def _sizes(*, label_size: str | None = None, legend_size: str | None = None) -> dict:
    sizes = {}
    if label_size is not None:
        sizes["label_size"] = label_size
    if legend_size is not None:
        sizes["legend_size"] = legend_size
    return sizes


class Fieldset(crispy_layout.Fieldset):
    """A group of fields under one legend (`legend_size` as for fields)."""

    template = "gds/layout/fieldset.html"

    def __init__(self, *fields, legend: str = "", legend_size: str = "", **kwargs):
        super().__init__(legend, *fields, **kwargs)
        self.legend_size = legend_size


class Submit(crispy_layout.BaseInput):
    """The form's button: a GOV.UK button."""

    input_type = "submit"
    field_classes = "govuk-button"


class Button(Submit):
    """A second button beside the form's main one (GOV.UK's secondary button), e.g. "Save draft"."""

    @classmethod
    def secondary(cls, name: str, value: str, **kwargs) -> "Button":
        return cls(name, value, css_class="govuk-button--secondary", **kwargs)
