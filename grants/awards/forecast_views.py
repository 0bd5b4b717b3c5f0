"""An output's forecast page: its baseline, forecasts (with their history), actual to date and
tolerance; the lead council and the programme's managers record a new forecast there, and the lead
council asks to change the baseline (a variation the programme's manager decides)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from grants.awards.models import Award, OutputTarget, VariationKind
from grants.core.money import in_unit

from . import forecast_forms, services
from . import outputs as output_rules
from . import permissions as perms
from .views import award_or_404, form_page, posted, save_form


def _target(award: Award, otid: int) -> OutputTarget:
    return get_object_or_404(OutputTarget.objects.select_related("output"), pk=otid, award=award)


@login_required
def forecast(request: HttpRequest, pk: int, otid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=services.may_forecast)
    target = _target(award, otid)
    (standing,) = output_rules.standings(OutputTarget.objects.filter(pk=target.pk))
    live = award.status in Award.LIVE
    form = forecast_forms.ForecastForm(posted(request) if live else None, unit=target.output.unit)
    done = live and save_form(
        request,
        form,
        lambda data: services.forecast_record(target=target, actor=request.user, **data),
        success=f"Forecast recorded: {target.output.name}",
        to=request.path,
    )
    history = target.forecasts.select_related("by", "variation").order_by("-at", "-pk")
    return done or render(
        request,
        "awards/forecast.html",
        {
            "award": award,
            "target": target,
            "o": standing,
            "form": form if live else None,
            "history": history,
            "can_rebaseline": live and perms.can_edit(request.user, award),
            "pending": target.variations.filter(status="pending").exists(),
        },
    )


@login_required
def rebaseline_new(request: HttpRequest, pk: int, otid: int) -> HttpResponse:
    """The lead council asks for a new baseline: a variation, applied only when approved."""
    award = award_or_404(request, pk, check=perms.can_edit)
    target = _target(award, otid)
    form = forecast_forms.RebaselineForm(posted(request), unit=target.output.unit)
    done = save_form(
        request,
        form,
        lambda data: services.variation_request(
            award=award, actor=request.user, kind=VariationKind.REBASELINE, output_target=target, **data
        ),
        success="Variation request sent to the programme manager",
        to=award,
    )
    intro = (
        f"{target.output.name}: the baseline is {in_unit(target.baseline, target.output.unit)}. "
        "The programme manager decides; the baseline changes only if they approve."
    )
    return done or form_page(request, award=award, form=form, title="Ask to change a baseline", intro=intro)
