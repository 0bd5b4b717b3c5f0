"""Reporting pages: dashboard, board report, open data, background exports, council profile.

Staff pages answer 404 to anyone without a staff role (a council officer learns nothing), and
every figure is limited to the programmes the member of staff may see.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from grants import permissions as gperms
from grants.awards.models.monitoring import RAG_DEFINITIONS
from grants.core import datacache, exports
from grants.core.downloads import download_links
from grants.models import Programme
from grants.reporting.models import ExportJob, PublishedFile

from . import board, charts, forms, selectors, services


def staff_only(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        gperms.get_or_404(gperms.is_staff_user(request.user))
        return view(request, *args, **kwargs)

    return wrapper


@staff_only
def dashboard(request: HttpRequest) -> HttpResponse:
    form = forms.DashboardFilterForm(request.GET or None, user=request.user)
    filters, applied = form.filters(), form.applied()
    d, chart_list = _dashboard_figures(request.user, filters)
    tables = {
        "chart-money": "dashboard-summary",
        "chart-rag": "dashboard-rag",
        "chart-outputs": "dashboard-outputs",
        "chart-region": "dashboard-region",
        "chart-kind": "dashboard-kind",
    }
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "d": d,
            "charts": [(c, html, download_links(request, tables[c.id], params=applied)) for c, html in chart_list],
            "awards_download": download_links(request, "awards", params=applied),
        },
    )


def _dashboard_figures(user, filters: dict) -> tuple[selectors.Dashboard, list[tuple[charts.Chart, str]]]:
    """The figures and each chart drawn with its table, kept until the data changes
    (`grants.core.datacache`): every figure adds up every award in reach, so without it the
    page's cost grew with the programme on every view."""

    def build():
        d = selectors.dashboard(user=user, **filters)
        return d, [(c, render_to_string("reporting/_chart.html", {"chart": c})) for c in charts.dashboard_charts(d)]

    parts = (user.pk, timezone.localdate(), sorted((k, getattr(v, "pk", v)) for k, v in filters.items()))
    return datacache.cached("dashboard", parts, build)


@staff_only
def download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    return exports.response(table, fmt, exports.build(table, request.user, request.GET))


@require_POST
@staff_only
def export_new(request: HttpRequest) -> HttpResponse:
    table, fmt = request.POST.get("table", ""), request.POST.get("format", "")
    params = dict(QueryDict(request.POST.get("query", "")).items())
    try:
        job = services.export_request(user=request.user, table=table, fmt=fmt, params=params)
    except services.ReportingError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_back(request))
    return redirect("reporting:export_detail", pk=job.pk)


def _back(request: HttpRequest) -> str:
    """The page the export was asked for from (a path on this site only), else the dashboard."""
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse("reporting:dashboard")


def _job_or_404(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, created_by=request.user)


@staff_only
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    return render(request, "reporting/export.html", {"job": job})


@staff_only
def export_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's progress for the progress page's script (the page works without it too)."""
    job = _job_or_404(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "finished": job.finished,
            "percent": job.percent,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "text": job.progress_text,
        },
        headers={"Cache-Control": "no-store"},
    )


@staff_only
def export_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if not job.file:
        raise Http404
    return FileResponse(default_storage.open(job.file.name, "rb"), as_attachment=True, filename=job.filename)


@staff_only
def board_report(request: HttpRequest) -> HttpResponse:
    as_at = forms.board_as_at(request.GET)
    if request.GET.get("as_at") and as_at.isoformat() != request.GET["as_at"]:
        messages.error(request, "Enter the report date as a real date, for example 2019-03-31")
    quarters = selectors.recent_quarter_ends(since=selectors.first_reported_period_end())
    if as_at not in quarters:
        quarters = sorted([*quarters, as_at], reverse=True)
    report, sections_html = board.board_page(user=request.user, as_at=as_at)
    rows = report.rows
    at_quarter_end = selectors.is_quarter_end(as_at)  # summaries are written per quarter end
    editable = {
        r.programme.pk for r in rows if at_quarter_end and gperms.can_manage_programme(request.user, r.programme)
    }
    ctx = {
        "rows": [(r, r.programme.pk in editable) for r in rows],
        "programmes": report.programmes,
        "sections_html": sections_html,
        "as_at": as_at,
        "at_quarter_end": at_quarter_end,
        "quarters": quarters,
        "rag_definitions": [(k.label, v) for k, v in RAG_DEFINITIONS.items()],
        "downloads": download_links(request, "board-report", as_at=as_at.isoformat()),
    }  # fmt: skip
    return render(request, "reporting/board_report.html", ctx)


@staff_only
def board_report_pdf(request: HttpRequest) -> HttpResponse:
    from weasyprint import HTML  # loads Pango: only this download needs it

    as_at = forms.board_as_at(request.GET)
    report = board.board_report(user=request.user, as_at=as_at)
    html = render_to_string(
        "reporting/board_report_pdf.html",
        {
            "rows": report.rows,
            "programmes": report.programmes,
            "as_at": as_at,
            "rag_definitions": [(k.label, v) for k, v in RAG_DEFINITIONS.items()],
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="board-report-{as_at.isoformat()}.pdf"'
    return response


@require_POST
@staff_only
def board_summary(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug)
    gperms.get_or_404(gperms.can_view_programme(request.user, programme))
    form = forms.BoardSummaryForm(request.POST)
    valid = form.is_valid()
    as_at = form.cleaned_data.get("as_at")  # absent when it is not a quarter end
    url = reverse("reporting:board_report") + (f"?as_at={as_at.isoformat()}" if as_at else "")
    if not gperms.can_manage_programme(request.user, programme):
        messages.error(request, "Only the programme's managers can write its summary")
        return redirect(url)
    if valid:
        services.board_summary_save(
            user=request.user, programme=programme, as_at=as_at, summary=form.cleaned_data["summary"]
        )
        messages.success(request, f"Summary saved for {programme.name}")
        return redirect(url + f"#programme-{programme.slug}")
    return render(request, "reporting/board_summary.html", {"form": form, "programme": programme, "as_at": as_at})


@staff_only
def open_data_staff(request: HttpRequest) -> HttpResponse:
    form = forms.OpenDataForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        params = {k: d[k] for k in ("programme", "round") if d.get(k)}
        try:
            job = services.export_request(user=request.user, table=services.OPEN_DATA, fmt=d["fmt"], params=params)
        except services.ReportingError as exc:
            form.add_error("programme", " ".join(exc.messages))
        else:
            return redirect("reporting:export_detail", pk=job.pk)
    return render(
        request,
        "reporting/open_data_staff.html",
        {"form": form, "published": PublishedFile.objects.filter(withdrawn=False)[:20],
         "can_publish": gperms.is_administrator(request.user)},
    )  # fmt: skip


@require_POST
@staff_only
def open_data_publish(request: HttpRequest) -> HttpResponse:
    gperms.get_or_404(gperms.is_administrator(request.user))
    try:
        pub = services.open_data_publish(user=request.user, fmt=request.POST.get("format", "json"))
    except services.ReportingError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Published {pub.filename} with {pub.grants} grants")
    return redirect("reporting:open_data_staff")


@require_POST
@staff_only
def open_data_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    gperms.get_or_404(gperms.is_administrator(request.user))
    pub = get_object_or_404(PublishedFile, pk=pk, withdrawn=False)
    try:
        services.open_data_withdraw(user=request.user, published=pub)
    except services.ReportingError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Withdrew {pub.filename}: it is no longer on the open data page")
    return redirect("reporting:open_data_staff")


def open_data_public(request: HttpRequest) -> HttpResponse:
    files = PublishedFile.objects.filter(withdrawn=False)
    return render(request, "reporting/open_data.html", {"files": files})


def open_data_file(request: HttpRequest, pk: int, filename: str) -> HttpResponse:
    pub = get_object_or_404(PublishedFile, pk=pk, filename=filename, withdrawn=False)
    content_type = "application/json" if pub.fmt == "json" else "text/csv; charset=utf-8"
    response = FileResponse(default_storage.open(pub.file.name, "rb"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{pub.filename}"'
    return response


@staff_only
def council_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = selectors.council_search(query=query) if query else []
    return render(request, "reporting/council_search.html", {"query": query, "results": results})


@staff_only
def council_profile(request: HttpRequest, code: str) -> HttpResponse:
    org = forms.council_or_404(code)
    profile = selectors.council_profile(user=request.user, organisation=org)
    return render(
        request,
        "reporting/council_profile.html",
        {
            "p": profile,
            "bids_download": download_links(request, "council-bids", council=org.code),
            "awards_download": download_links(request, "council-awards", council=org.code),
        },
    )
