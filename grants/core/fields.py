"""Form fields in the GOV.UK pattern, shared by every app's forms.

Money is a text input (GOV.UK advises against number inputs) that accepts what people type,
'£25,000' or '25000.50', and gives a Decimal. Dates are the GOV.UK date input: day, month and
year boxes. Both also accept their plain machine form (`name=2026-04-01`, `name=25000`) so
scripts and API clients need not fake three boxes.
"""

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from .dates import govuk_time
from .money import number

LONDON = ZoneInfo("Europe/London")


PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def field_name(label) -> str:
    """'Budget (£)' -> 'Budget': the words an error message calls the field by."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", str(label or "")).strip()
    return text or "The number"


class NumberField(forms.DecimalField):
    """A number typed into a text box; commas and spaces are allowed, as people write them.

    Every message names the field ('Budget must be £0 or more'), from `name` or the label.
    Only plain digits are numbers here: '1e5' is a typing slip, not 100000.
    """

    widget = forms.TextInput
    unit_before, unit_after = "", ""
    invalid = "{name} must be a number, like 1200"

    def __init__(self, *, name: str | None = None, noun: str | None = None, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        name = name or field_name(kwargs.get("label"))
        noun = noun or f"the {name[:1].lower()}{name[1:]}"
        whole = 10 ** (kwargs["max_digits"] - kwargs["decimal_places"])
        kwargs["error_messages"] = {
            "required": f"Enter {noun}",
            "invalid": self.invalid.format(name=name),
            "min_value": f"{name} must be {self._amount('%(limit_value)s')} or more",
            "max_value": f"{name} must be {self._amount('%(limit_value)s')} or less",
            "max_digits": f"{name} must be less than {self._amount(number(whole))}",
            "max_whole_digits": f"{name} must be less than {self._amount(number(whole))}",
            "max_decimal_places": f"{name} must have no more than {kwargs['decimal_places']} decimal places",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)

    def _amount(self, value: str) -> str:
        return f"{self.unit_before}{value}{self.unit_after}"

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update({"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input govuk-input--width-10"})
        return attrs

    def prepare_value(self, value):
        # A stored amount comes back as 40000.00; the box shows "40000", as a person types it, so
        # no form shows ".00" (pence stay when there are some: "1234.50").
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return super().prepare_value(value)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace("%", "").replace(",", "").replace(" ", "")
            if value and not PLAIN_NUMBER.match(value):  # '1e5', 'NaN', 'Infinity', '0x10'
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class MoneyField(NumberField):
    """Pounds and pence, as a Decimal with two places."""

    unit_before = "£"
    invalid = "{name} must be an amount in pounds, like 25000 or 25,000.50"


class PercentField(NumberField):
    """A percentage from 0 to 100."""

    unit_after = "%%"  # messages are %-formatted with the limit
    invalid = "{name} must be a percentage, like 25 or 12.5"

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", 100)
        kwargs.setdefault("max_digits", 5)
        super().__init__(**kwargs)


def _date_box(label: str, width: int) -> forms.TextInput:
    return forms.TextInput(
        attrs={"class": f"govuk-input govuk-date-input__input govuk-input--width-{width}", "label": label}
    )


class DateInputWidget(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes (each box's label rides in its attrs)."""

    def __init__(self, attrs=None):
        super().__init__([_date_box("Day", 2), _date_box("Month", 2), _date_box("Year", 4)], attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class DateInputField(forms.MultiValueField):
    """Three text boxes read as one date. Each box's own errors are also kept on its widget
    (`widget.errors`), so the error summary can link to the box that is wrong
    (grants/templatetags/govuk_errors.py) and only that box is marked."""

    widget = DateInputWidget

    def __init__(self, **kwargs):
        parts = [forms.CharField(label=label) for label in ("Day", "Month", "Year")]
        super().__init__(fields=parts, **kwargs)

    def clean(self, value):
        for part in self.fields:
            part.widget.errors = []
        if self.disabled and not isinstance(value, list):
            value = self.widget.decompress(value)
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if all(item in self.empty_values for item in value):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self.compress([None] * len(self.fields))
        cleaned, errors = [], []
        for part, item in zip(self.fields, list(value) + [None] * len(self.fields), strict=False):
            if item in self.empty_values:
                message = part.error_messages["incomplete"]
                part.widget.errors.append(message)
                if message not in errors:
                    errors.append(message)
                continue
            try:
                cleaned.append(part.clean(item))
            except ValidationError as exc:
                part.widget.errors.extend(m for m in exc.messages if m not in part.widget.errors)
                errors.extend(m for m in exc.messages if m not in errors)
        if errors:
            raise ValidationError(errors)
        out = self.compress(cleaned)
        self.validate(out)
        self.run_validators(out)
        return out


class _DateWidget(DateInputWidget):
    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{i}" in data for i in range(3)):
            try:
                parsed = date.fromisoformat(str(data[name]))
            except ValueError:
                return [data[name], "", ""]
            return [str(parsed.day), str(parsed.month), str(parsed.year)]
        return super().value_from_datadict(data, files, name)


class GovDateField(DateInputField):
    """GOV.UK date input with plain-words errors that name the field.

    `name` starts a sentence ('Decision date must be a real date'), `noun` follows 'Enter'
    ('Enter the decision date'); both default from the label.
    """

    widget = _DateWidget

    def __init__(self, *, name: str | None = None, noun: str | None = None, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.name = name = name or field_name(kwargs.get("label") or "The date")
        self.error_messages["required"] = f"Enter {noun or name[:1].lower() + name[1:]}"
        self.error_messages["incomplete"] = f"{name} must include a day, month and year"
        for field, part in zip(self.fields, ("day", "month", "year"), strict=True):
            field.error_messages["incomplete"] = f"{name} must include a {part}"
            field.validators = [RegexValidator(r"^[0-9]+$", f"{name} must be a real date, with numbers only")]

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):
            raise ValidationError(f"{self.name} must be a real date, for example 27 3 2027", code="invalid")
        if not 1900 <= value.year <= 2200:
            raise ValidationError(f"{self.name} must have a year with four digits, for example 2027", code="invalid")
        return value


TIME_RE = re.compile(r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$")


def parse_time(text: str) -> time | None:
    """'9am', '9:30am', '17:00', '12pm', 'midday' and 'midnight' as people write them."""
    text = (text or "").strip().lower().replace(" ", "").replace("a.m.", "am").replace("p.m.", "pm")
    if text in ("midday", "noon"):
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    match = TIME_RE.match(text)
    if not match:
        return None
    hour, minute, ampm = int(match["h"]), int(match["m"] or 0), match["ampm"]
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class _DateTimeWidget(_DateWidget):
    def __init__(self, attrs=None):
        time_widget = forms.TextInput(
            attrs={"class": "govuk-input govuk-date-input__input govuk-input--width-5", "label": "Time"}
        )
        forms.MultiWidget.__init__(self, [*DateInputWidget().widgets, time_widget], attrs)

    def decompress(self, value):
        if value:
            local = timezone.localtime(value)
            return local.day, local.month, local.year, local.strftime("%-I:%M%p").lower()
        return None, None, None, None

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{i}" in data for i in range(4)):
            raw = str(data[name]).replace(" ", "T", 1)
            try:
                parsed = datetime.fromisoformat(raw)
            except ValueError:
                return [data[name], "", "", ""]
            return [str(parsed.day), str(parsed.month), str(parsed.year), parsed.strftime("%H:%M")]
        return forms.MultiWidget.value_from_datadict(self, data, files, name)


class GovDateTimeField(GovDateField):
    """The GOV.UK date input plus a time box, read as UK time (Europe/London), stored aware."""

    widget = _DateTimeWidget

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        time_field = forms.CharField(label="Time", error_messages={"incomplete": f"{self.name} must include a time"})
        self.fields = (*self.fields, time_field)
        self.help_text = self.help_text or "For example, 31 3 2027 and 5pm or 17:00 (UK time)"

    def compress(self, data_list):
        if not data_list:
            return None
        *date_parts, time_text = (list(data_list) + [None] * 4)[:4]
        day = super().compress(date_parts)
        if day is None:
            return None
        at = parse_time(time_text or "")
        if at is None:
            raise ValidationError(
                f"{self.name} must include a real time, for example 9am, 5:30pm or 17:30", code="invalid"
            )
        naive = datetime.combine(day, at)
        value = timezone.make_aware(naive, LONDON)
        # When the clocks go forward an hour is skipped (1am to 2am on the last Sunday in March):
        # such a time names no moment, and quietly moving it would move a deadline.
        if value.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != naive:
            raise ValidationError(
                f"{self.name} must be a time that exists in the UK: the clocks go forward an hour at 1am on "
                f"{day.day} {day:%B %Y}, so there is no {govuk_time(naive)} that day",
                code="nonexistent",
            )
        return value


# Every key in the project is a BigAutoField: 1 to 2**63 - 1. A number outside that names no row,
# and must never reach a query: SQLite raises OverflowError for it and PostgreSQL
# NumericValueOutOfRange, both a 500 rather than "that is not one of the choices".
MAX_ID = 2**63 - 1
ID_DIGITS = re.compile(r"^[0-9]{1,19}$")  # ASCII only: '²' and '١' pass str.isdigit() but not int()


def as_id(value) -> int | None:
    """The key `value` could name, or None when it could name none ('abc', '-1', '1e9', 2**63)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and ID_DIGITS.match(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


WRONG_CHOICE = "Select a valid choice. That choice is not one of the available choices"


def valid_ids(values, *, message: str = WRONG_CHOICE) -> list[int]:
    """The ids a view took from the request (`request.POST.getlist("bids")`), refused as a form
    refuses a wrong choice if any of them could name no row, so the view shows an error on the
    page instead of a 500 or a silent partial action."""
    ids = [as_id(v) for v in values]
    if None in ids:
        raise ValidationError(message, code="invalid_choice")
    return ids


class _KeysThatCanExist:
    """Model choice fields check a posted key could exist before they look it up (see MAX_ID)."""

    def _impossible(self, value) -> bool:
        if value in self.empty_values or self.to_field_name or isinstance(value, self.queryset.model):
            return False
        return as_id(value) is None


class IdChoiceField(_KeysThatCanExist, forms.ModelChoiceField):
    """A ModelChoiceField that refuses 'abc', '-1' or 2**63 as a wrong choice, never a 500."""

    def to_python(self, value):
        if self._impossible(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(_KeysThatCanExist, forms.ModelMultipleChoiceField):
    """The same for several: one impossible key refuses the lot, before the `pk__in` query."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                if self._impossible(item):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super().clean(value)
