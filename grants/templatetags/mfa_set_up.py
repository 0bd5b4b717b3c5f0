"""The recovery codes page's Continue button: where the person was going before set-up."""

from django import template

from grants.entrances import set_up_destination

register = template.Library()


@register.simple_tag(takes_context=True)
def continue_after_set_up(context) -> str:
    return set_up_destination(context["request"])
