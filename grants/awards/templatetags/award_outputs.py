"""`{% forecast_links award %}`: links to each output's forecast page, for those who may record a
forecast (the lead council, the programme's managers) while the award is live. The return page
shows it beside the return, without touching the return form."""

from django import template

from grants.awards.models import Award
from grants.awards.services import may_forecast

register = template.Library()


@register.inclusion_tag("awards/_forecast_links.html", takes_context=True)
def forecast_links(context, award: Award) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = user is not None and award.status in Award.LIVE and may_forecast(user, award)
    targets = list(award.output_targets.select_related("output").order_by("output__order", "pk")) if shown else []
    return {"award": award, "targets": targets}
