"""Staff pages for importing history: upload, preview every row, confirm, and the template.
Programme managers and administrators; a job is seen only by its uploader (and administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grants.awards import permissions as perms
from grants.awards.models import ImportJob
from grants.core.money import number
from grants.core.words import counted
from grants.permissions import get_or_404, is_administrator

from . import jobs
from .forms import ImportUploadForm
from .reading import MAX_BYTES
from .result import ImportResult
from .template import template_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TAGS = {"created": "govuk-tag--green", "updated": "govuk-tag--blue", "unchanged": "govuk-tag--grey",
        "warning": "govuk-tag--yellow", "error": "govuk-tag--red"}  # fmt: skip
LABELS = {
    "created": "To create",
    "updated": "To update",
    "unchanged": "Unchanged",
    "warning": "Confirm",
    "error": "Error",
}
DONE_LABELS = {**LABELS, "created": "Created", "updated": "Updated", "warning": "Confirmed"}


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    get_or_404(perms.can_enter_historic(request.user))
    job = get_object_or_404(ImportJob, pk=pk)
    get_or_404(job.created_by_id == request.user.pk or is_administrator(request.user))
    return job


@login_required
def start(request: HttpRequest) -> HttpResponse:
    get_or_404(perms.can_enter_historic(request.user))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", "The selected file is too big: split it into smaller files")
        else:
            try:
                job = jobs.job_start(upload=upload, user=request.user)
            except ValueError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect(job)
    return render(request, "awards/import_start.html", {"form": form})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    result = ImportResult.from_json(job.result)
    done, total = jobs.progress(job)
    labels = DONE_LABELS if result.saved else LABELS
    rows = [(r, TAGS.get(r.outcome, ""), labels.get(r.outcome, r.outcome)) for r in result.ordered()]
    context = {
        "job": job, "result": result, "rows": rows, "done": done, "total": total,
        "percent": min(100, int(done * 100 / total)) if total else 0,
        "progress_text": f"{number(done)} of {counted(total, 'row')}",
    }  # fmt: skip
    return render(request, "awards/import_detail.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if ImportResult.from_json(job.result).errors:
        messages.error(request, "Correct the errors in the file and upload it again: nothing has been saved")
        return redirect(job)
    job = jobs.job_confirm(job=job, user=request.user)
    return redirect(job)


@login_required
def template(request: HttpRequest) -> HttpResponse:
    get_or_404(perms.can_enter_historic(request.user))
    response = HttpResponse(template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="history-import-template.xlsx"'
    return response
