"""Each event declares its context (notifications/events.py); notify() refuses anything else, and
the email templates use no key their event does not declare."""

import pytest
from django.template import Template, loader
from django.template.base import FilterExpression, Variable, VariableNode
from django.template.defaulttags import ForNode, IfNode
from django.template.loader_tags import ExtendsNode

from notifications.events import EVENTS, EventContextError
from notifications.models import Notification
from notifications.services import notify, render_email

from ..factories import CouncilOfficerFactory

# What render_email gives every template, and the names Django's templates know without a context.
GIVEN = {"recipient_name", "link", "service_name", "subject", "True", "False", "None"}


def _from_expression(expression, used: set[str]) -> None:
    if not isinstance(expression, FilterExpression):
        return
    if isinstance(expression.var, Variable) and expression.var.lookups:
        used.add(expression.var.lookups[0])
    for _filter, args in expression.filters:  # {{ reference|default:title }}
        for is_variable, arg in args:
            if is_variable and isinstance(arg, Variable) and arg.lookups:
                used.add(arg.lookups[0])


def _from_condition(condition, used: set[str]) -> None:  # {% if a == 'x' or b %}
    if condition is None:
        return
    _from_expression(getattr(condition, "value", None), used)
    for side in ("first", "second"):
        _from_condition(getattr(condition, side, None), used)


def _variables(nodelist) -> set[str]:
    """Every context name a template reads: {{ name }}, {% if name %}, filter arguments, loops,
    and its parent's (extends). Loop variables are the template's own."""
    used: set[str] = set()
    for node in nodelist:
        if isinstance(node, VariableNode):
            _from_expression(node.filter_expression, used)
        elif isinstance(node, IfNode):
            for condition, _nodes in node.conditions_nodelists:
                _from_condition(condition, used)
        elif isinstance(node, ForNode):
            _from_expression(node.sequence, used)
        elif isinstance(node, ExtendsNode):
            used |= _variables(loader.get_template(node.parent_name.var).template.nodelist)
        inner: set[str] = set()
        for name in node.child_nodelists:  # an {% if %}'s `nodelist` holds every branch
            inner |= _variables(getattr(node, name, None) or [])
        used |= inner - set(getattr(node, "loopvars", ()))
    return used


def _used_by(event) -> set[str]:
    used = _variables(Template(event.subject).nodelist)
    for name in (event.template_txt, event.template_html):
        used |= _variables(loader.get_template(name).template.nodelist)
    return used - GIVEN


def test_the_walker_finds_names_in_every_kind_of_place():
    source = (
        "{{ a }}{{ b|default:c }}{% if d == 'x' or not e %}{{ f.g }}{% endif %}"
        "{% for i in items %}{{ i.name }}{% endfor %}{% if h %}{% elif k %}{% else %}{{ m }}{% endif %}"
    )
    assert _variables(Template(source).nodelist) == {"a", "b", "c", "d", "e", "f", "items", "h", "k", "m"}


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_templates_use_only_declared_keys(name):
    event = EVENTS[name]
    used = _used_by(event)
    assert used <= set(event.keys), f"{name}: the templates use {sorted(used - set(event.keys))}: declare them"
    # A required key nothing reads would be refused when missing for no reason.
    assert set(event.required) <= used, f"{name}: required but unused {sorted(set(event.required) - used)}"
    assert not set(event.required) & set(event.optional)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EVENTS))
def test_every_event_renders_with_all_its_keys_or_only_the_required_ones(name):
    event = EVENTS[name]
    for keys in (event.keys, event.required):
        context = {key: f"[{key}]" for key in keys}
        email = notify(recipient=CouncilOfficerFactory(), event=name, context=context, dedupe_key=str(keys), url="/x/")
        subject, text, html = render_email(email)
        assert subject and "{{" not in subject and text.startswith("Dear ") and "<html" in html


@pytest.mark.django_db
def test_an_undeclared_key_is_refused_and_nothing_is_written():
    context = {"reference": "BI4-000001", "round_name": "Round 1", "bid_title": "Not read by anything"}
    with pytest.raises(EventContextError, match="undeclared bid_title"):
        notify(recipient=CouncilOfficerFactory(), event="bid_submitted", context=context, dedupe_key="k")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_missing_required_key_is_refused_and_nothing_is_written():
    # Without `approved` the email would tell the council its variation was turned down.
    with pytest.raises(EventContextError, match="missing approved"):
        notify(recipient=CouncilOfficerFactory(), event="variation_decided", context={"reference": "A"}, dedupe_key="k")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_optional_keys_may_be_left_out():
    email = notify(
        recipient=CouncilOfficerFactory(),
        event="bid_submitted",
        context={"reference": "BI4-000001", "round_name": "Round 1"},
        dedupe_key="k",
    )
    assert email.subject == "We have received bid BI4-000001"
