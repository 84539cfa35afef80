"""Pages of the screening-score import: upload, map columns and preview, progress, report.

1. Upload (`score_import:upload`): the file is stored (students.uploads.upload_store) and
   remembered in the session as a draft; its path never reaches the browser.
2. Mapping and preview (`score_import:mapping`): the guessed mapping, editable; each change
   re-renders the preview (htmx) with the first 20 rows as they will be read and the counts
   of the whole file; "Import" creates the ImportJob and queues it after commit.
3. Job (`score_import:job`): the shared progress partial (templates/imports/_progress.html),
   polled every second, then the report with every rejected row.

Who: see screening/score_import/choices.py (teachers, team members, school and district
administrators; the scoping function decides row by row). A job is visible to whoever started
it and to the district's administrators.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from mtss.lib.spreadsheet import csv_response
from screening.score_import.checking import check_rows
from screening.score_import.choices import import_districts, may_import_scores
from screening.score_import.forms import KEEP_VALID, ScoreMappingForm, ScoreUploadForm
from screening.score_import.mapping import Mapping, guess_mapping, mapping_problems
from screening.score_import.reading import ScoreFile, read_score_file
from screening.score_import.storage import file_read
from screening.tasks import score_import_enqueue
from students import access
from students.imports import ImportRefused, import_job_create, progress_rows
from students.models import District, User
from students.models_imports import ImportJob
from students.uploads import upload_store

SESSION_KEY = "score_import_drafts"
MAX_DRAFTS = 5
RECENT_JOBS = 10
PROBLEMS_SHOWN = 200
REPORT_ROWS_PER_PAGE = 200


def score_import_jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    """Score-import jobs the user started, and every one of the districts they administer."""
    qs = ImportJob.objects.filter(kind=ImportJob.Kind.SCREENING_SCORES).select_related(
        "district", "created_by"
    )
    if user.is_superuser:
        return qs
    admin_of = access.administered_district_ids(user)
    return qs.filter(Q(created_by=user) | Q(district_id__in=admin_of))


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "screening/import/forbidden.html", status=403)


# -- 1. upload -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not may_import_scores(request.user):
        return _forbidden(request)
    districts = import_districts(request.user)
    form = ScoreUploadForm(request.POST or None, request.FILES or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        path = upload_store(name=upload_file.name, chunks=upload_file.chunks())
        try:
            read_score_file(file_read(path))  # a file that cannot be read is refused at once
        except ImportRefused as exc:
            path.unlink(missing_ok=True)
            form.add_error("file", exc.message)
        else:
            draft = path.parent.name
            drafts = dict(request.session.get(SESSION_KEY, {}))
            while len(drafts) >= MAX_DRAFTS:
                drafts.pop(next(iter(drafts)))
            drafts[draft] = {
                "path": str(path),
                "name": upload_file.name,
                "district": form.cleaned_data["district"].pk,
            }
            request.session[SESSION_KEY] = drafts
            return redirect("score_import:mapping", draft=draft)
    jobs = list(score_import_jobs_visible_to(request.user)[:RECENT_JOBS])
    return render(
        request,
        "screening/import/upload.html",
        {"form": form, "jobs": jobs},
    )


# -- 2. mapping and preview -------------------------------------------------------------------------


def _draft(request: HttpRequest, draft: str) -> tuple[dict[str, Any], District]:
    info = request.session.get(SESSION_KEY, {}).get(draft)
    if info is None:
        raise Http404("This upload is not known. Upload the file again.")
    district = next((d for d in import_districts(request.user) if d.pk == info["district"]), None)
    if district is None:
        raise Http404("This upload is not known. Upload the file again.")
    return info, district


def _samples(score_file: ScoreFile) -> dict[str, str]:
    """The first data row's value of each column, shown beside the column names."""
    for _number, values in score_file.rows():
        return {h: v.strip() for h, v in zip(score_file.header, values, strict=False) if h}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, draft: str) -> HttpResponse:
    if not may_import_scores(request.user):
        return _forbidden(request)
    info, district = _draft(request, draft)
    context: dict[str, Any] = {
        "draft": draft,
        "file_name": info["name"],
        "district": district,
    }
    try:
        score_file = read_score_file(file_read(info["path"]))
    except ImportRefused as exc:
        context["refused"] = exc.message
        return render(request, "screening/import/mapping.html", context)
    samples = _samples(score_file) if score_file.header else {}
    action = request.POST.get("action", "preview")
    form_kwargs = {"header": score_file.header, "samples": samples, "district": district}
    if request.method == "POST":
        form = ScoreMappingForm(request.POST, **form_kwargs)
        valid = form.is_valid()
        current = form.to_mapping() if valid else None
        if current is not None:
            info["mapping"] = current.to_json()
            info["keep_valid"] = form.keep_valid
            drafts = dict(request.session.get(SESSION_KEY, {}))
            drafts[draft] = info
            request.session[SESSION_KEY] = drafts
        if (
            valid
            and action == "import"
            and current is not None
            and not mapping_problems(current, score_file.header)
        ):
            job = _job_start(request, info=info, district=district, mapping=current)
            return redirect("score_import:job", pk=job.pk)
    else:
        saved = info.get("mapping")
        current = Mapping.from_json(saved) if saved else guess_mapping(score_file.header)
        form = ScoreMappingForm(
            initial=ScoreMappingForm.initial_from(
                current, keep_valid=info.get("keep_valid", False)
            ),
            **form_kwargs,
        )
    context |= {"form": form, "score_file": score_file}
    context |= _preview(request.user, score_file, current, district, form)
    if request.htmx and request.method == "POST":
        response = render(request, "screening/import/mapping.html#preview", context)
    else:
        response = render(request, "screening/import/mapping.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _preview(
    user: User,
    score_file: ScoreFile,
    current: Mapping | None,
    district: District,
    form: ScoreMappingForm,
) -> dict[str, Any]:
    if current is None:
        return {
            "problems_of_mapping": [
                (f"{form.fields[name].label}: " if name in form.fields else "") + " ".join(errors)
                for name, errors in form.errors.items()
            ]
        }
    problems = mapping_problems(current, score_file.header)
    if problems:
        return {"problems_of_mapping": problems}
    try:
        checked = check_rows(score_file=score_file, mapping=current, district=district, user=user)
    except ImportRefused as exc:
        return {"problems_of_mapping": [exc.message]}
    preview_rows = {p.row for p in checked.preview}
    keep_valid = form.keep_valid if form.is_bound else form.initial.get("mode") == KEEP_VALID
    # Under "import nothing if any row has a problem" one problem row means nothing is saved.
    to_import = len(checked.valid) if keep_valid or not checked.problems else 0
    return {
        "checked": checked,
        "other_problems": [p for p in checked.problems if p[0] not in preview_rows][
            :PROBLEMS_SHOWN
        ],
        "can_import": bool(checked.valid),
        "to_import": to_import,
    }


@transaction.atomic
def _job_start(
    request: HttpRequest, *, info: dict[str, Any], district: District, mapping: Mapping
) -> ImportJob:
    job = import_job_create(
        district=district,
        kind=ImportJob.Kind.SCREENING_SCORES,
        file_path=info["path"],
        original_name=info["name"],
        all_or_nothing=not info.get("keep_valid", False),
        created_by=request.user,
        source=ImportJob.Source.UPLOAD,
    )
    job.options = {**job.options, "mapping": mapping.to_json(), "as_user": True}
    job.save(update_fields=["options"])
    score_import_enqueue(job)
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts.pop(Path(info["path"]).parent.name, None)
    request.session[SESSION_KEY] = drafts
    return job


# -- 3. the job: progress, then the report -------------------------------------------------------------


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    # A job whose worker died is failed by the every-minute check (students.job_health),
    # not by opening this page.
    return get_object_or_404(score_import_jobs_visible_to(request.user), pk=pk)


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    url = reverse("score_import:job", args=[job.pk])
    context: dict[str, Any] = {
        "job": job,
        "progress_rows": progress_rows(job),
        "poll_url": url,
        "report_url": url,
    }
    if request.htmx:
        response = render(request, "imports/_progress.html", context)
        response["Cache-Control"] = "no-store"
    else:
        report = job.report or {}
        context |= {
            "report": report,
            "totals": report.get("totals", {}),
            "problems": Paginator(report.get("rejected", []), REPORT_ROWS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "mapping": Mapping.from_json(job.options.get("mapping", {})),
        }
        response = render(request, "screening/import/job.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def job_problems_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as CSV, to fix the source file row by row."""
    job = _job_for(request, pk)
    rows = [[gettext("Row"), gettext("Problem")]] + [
        [item.get("row"), item.get("reason")] for item in (job.report or {}).get("rejected", [])
    ]
    return csv_response(rows, f"score-import-{job.pk}-problems.csv")
