"""Evidence files of milestones and returns: the download (the only way to a file) and removal."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from grants.awards.models import Award, AwardEvidenceFile
from grants.core.uploads import serve_stored

from . import permissions as perms
from . import services
from .views import act, award_or_404


@login_required
def evidence_download(request: HttpRequest, pk: int, fid: int) -> HttpResponse:
    """Served only to whoever may see the award's evidence (a 404 to anyone else, as for an award
    they may not see), always as a download, never sniffed or cached, and only once the virus
    check has passed it."""
    award = award_or_404(request, pk, check=perms.can_see_evidence)
    item = get_object_or_404(AwardEvidenceFile, pk=fid, award=award)
    return serve_stored(request, item)


def _back_to(item: AwardEvidenceFile, award: Award) -> str:
    if item.milestone_id:
        return reverse("awards:milestone_update", args=[award.pk, item.milestone_id])
    return reverse("awards:return", args=[award.pk, item.monitoring_return_id])


@require_POST
@login_required
def evidence_remove(request: HttpRequest, pk: int, fid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_edit)
    item = get_object_or_404(AwardEvidenceFile, pk=fid, award=award)
    removed = act(
        request,
        lambda: services.evidence_remove(evidence=item, actor=request.user),
        success=f"{item.original_name} removed",
    )
    return redirect(_back_to(item, award) if removed else award)
