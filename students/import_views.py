"""Data-exchange pages: upload an import, watch its progress, read its report; the drop
folder setting; exports with their purpose and their log.

Imports are for district administrators (they replace the roster); exports are for anyone
signed in, limited to the students they may see (students_visible_to) and always logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mtss.lib.spreadsheet import csv_response, download_response
from students.audit import AuditContext
from students.exports import export_create, export_log_for, exports_available
from students.import_forms import DropFolderForm, ExportForm, ImportUploadForm
from students.imports import (
    districts_administered_by,
    enqueue,
    import_job_create,
    import_jobs_visible_to,
    progress_rows,
)
from students.job_health import NotRetriable, can_retry, import_job_retry
from students.models_imports import DistrictImportSettings, ImportJob
from students.oneroster.dropfolder import drop_root
from students.oneroster.guard import ConfirmRefused, deactivation_confirm, waiting_guard
from students.uploads import upload_store

RECENT_JOBS = 20
REJECTED = "rejected (not imported)"
WARNING = "warning (imported with a note)"
REPORT_ROWS_PER_PAGE = 200


def _require_district_admin(request: HttpRequest) -> list:
    districts = districts_administered_by(request.user)
    if not districts:
        raise PermissionDenied(gettext("Only district administrators can import data."))
    return districts


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(import_jobs_visible_to(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    districts = _require_district_admin(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = upload_store(name=upload.name, chunks=upload.chunks())
        job = import_job_create(
            district=form.cleaned_data["district"],
            kind=form.cleaned_data["kind"],
            file_path=path,
            original_name=upload.name,
            all_or_nothing=not form.cleaned_data["keep_valid"],
            created_by=request.user,
            source=ImportJob.Source.UPLOAD,
        )
        enqueue(job)
        return redirect("import_detail", pk=job.pk)
    jobs = list(import_jobs_visible_to(request.user)[:RECENT_JOBS])
    return render(
        request, "imports/import_list.html", {"form": form, "jobs": jobs, "nav_current": "data"}
    )


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(
        request, "imports/import_detail.html", _progress_context(job) | {"nav_current": "data"}
    )


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the page polls every second (htmx) until the job is done."""
    job = _job_for(request, pk)
    response = render(request, "imports/_progress.html", _progress_context(job))
    response["Cache-Control"] = "no-store"
    return response


def _progress_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "progress_rows": progress_rows(job),
        "poll_url": reverse("import_progress", args=[job.pk]),
        "report_url": reverse("import_report", args=[job.pk]),
        "retry_url": reverse("import_retry", args=[job.pk]) if can_retry(job) else "",
    }


@login_required
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a failed import again on the same file (a new job; the failed one stays)."""
    job = _job_for(request, pk)
    try:
        retry = import_job_retry(job=job, user=request.user)
    except NotRetriable as exc:
        messages.error(request, str(exc))
        return redirect("import_detail", pk=job.pk)
    return redirect("import_detail", pk=retry.pk)


@login_required
@require_GET
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if not job.is_finished:
        return redirect("import_detail", pk=job.pk)
    report = job.report or {}
    # Rejected rows (not imported) and warnings (imported with a note) are listed apart.
    problems = Paginator(report.get("rejected", []), REPORT_ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    notes = Paginator(report.get("warnings", []), REPORT_ROWS_PER_PAGE).get_page(
        request.GET.get("wpage")
    )
    outcomes = ("created", "updated", "deactivated", "unchanged", "skipped", "rejected")
    counts = [
        {"entity": entity, "values": [bucket.get(o, 0) for o in outcomes]}
        for entity, bucket in report.get("counts", {}).items()
    ]
    guard = waiting_guard(job)
    return render(
        request,
        "imports/import_report.html",
        {
            "job": job,
            "guard": guard,
            "can_confirm": guard is not None
            and job.district in districts_administered_by(request.user),
            "report": report,
            "totals": report.get("totals", {}),
            "counts": counts,
            "outcomes": outcomes,
            "problems": problems,
            "notes": notes,
            "nav_current": "data",
        },
    )


@login_required
@require_GET
def import_problems_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows, then the warnings, as a CSV, to fix the source file row by row."""
    job = _job_for(request, pk)
    report = job.report or {}
    rows: list[list[object]] = [["file", "row", "outcome", "reason"]]
    rows += [[p["file"], p["row"] or "", REJECTED, p["reason"]] for p in report.get("rejected", [])]
    rows += [[w["file"], w["row"] or "", WARNING, w["message"]] for w in report.get("warnings", [])]
    return csv_response(rows, f"import-{job.pk}-problems.csv")


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A district administrator lets a held import deactivate past the guard: password and
    reason, then the same file runs again."""
    job = _job_for(request, pk)
    if job.district not in _require_district_admin(request):
        raise PermissionDenied(
            gettext("Only the district's administrators can confirm this import.")
        )
    try:
        confirmed = deactivation_confirm(
            job=job,
            user=request.user,
            password=request.POST.get("password", ""),
            reason=request.POST.get("reason", ""),
        )
    except ConfirmRefused as exc:
        messages.error(request, str(exc))
        return redirect("import_report", pk=job.pk)
    messages.success(
        request, gettext("Confirmed: the import runs again and may deactivate these records.")
    )
    return redirect("import_detail", pk=confirmed.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_settings(request: HttpRequest) -> HttpResponse:
    districts = _require_district_admin(request)
    district_id = request.POST.get("district_id") or request.GET.get("district")
    district = next((d for d in districts if str(d.pk) == str(district_id)), districts[0])
    config = DistrictImportSettings.objects.filter(
        district=district
    ).first() or DistrictImportSettings(district=district)
    form = DropFolderForm(
        request.POST or None,
        district=district,
        initial={
            "enabled": config.enabled,
            "drop_folder": config.drop_folder,
            "keep_valid_rows": config.keep_valid_rows,
        },
    )
    if request.method == "POST" and form.is_valid():
        for name in ("enabled", "drop_folder", "keep_valid_rows"):
            setattr(config, name, form.cleaned_data[name])
        config.save()
        messages.success(request, gettext("Drop-folder settings saved."))
        return redirect(f"{reverse('import_settings')}?district={district.pk}")
    return render(
        request,
        "imports/import_settings.html",
        {
            "form": form,
            "config": config,
            "district": district,
            "districts": districts,
            "drop_root": drop_root(),
            "nav_current": "data",
        },
    )


# -- exports ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse:
    specs = exports_available()
    form = ExportForm(request.POST or None, exports=[(s.key, s.label) for s in specs])
    if request.method == "POST" and form.is_valid():
        result = export_create(
            user=request.user,
            key=form.cleaned_data["export"],
            fmt=form.cleaned_data["format"],
            purpose=form.cleaned_data["purpose"],
            options={"include_inactive": form.cleaned_data["include_inactive"]},
            audit=AuditContext.from_request(request),
        )
        response = download_response(result.content, result.content_type, result.filename)
        response["X-Export-Rows"] = str(result.rows)
        return response
    return render(
        request,
        "exports/export_page.html",
        {
            "form": form,
            "export_choices": [
                {"radio": r, "spec": s} for r, s in zip(form["export"], specs, strict=True)
            ],
            "nav_current": "data",
        },
    )


@login_required
@require_GET
def export_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(export_log_for(request.user), 50).get_page(request.GET.get("page"))
    if page.paginator.count == 0 and request.GET.get("page") not in (None, "1"):
        raise Http404
    return render(request, "exports/export_log.html", {"page": page, "nav_current": "data"})
