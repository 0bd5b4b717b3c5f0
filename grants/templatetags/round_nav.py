"""`{% round_nav round %}`: the round's sub-navigation (grants.core.round_nav) on a staff round page."""

from django import template

from grants.core.round_nav import round_links

register = template.Library()


@register.inclusion_tag("includes/round_nav.html", takes_context=True)
def round_nav(context, round) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"links": []}
    match = request.resolver_match
    url_name = f"{match.namespace}:{match.url_name}" if match and match.namespace else getattr(match, "url_name", "")
    links = round_links(user=user, round=round, url_name=url_name or "")
    # A viewer with one section (a panel chair's moderation) needs no navigation.
    return {"round": round, "links": links if len(links) > 1 else []}
