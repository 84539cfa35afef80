"""Pages of the screening-score import, mounted at /screening/import/ (mtss/urls.py)."""

from django.urls import path, re_path

from screening import import_views

app_name = "score_import"
urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("jobs/<int:pk>/", import_views.job_detail, name="job"),
    path("jobs/<int:pk>/problems.csv", import_views.job_problems_csv, name="job_problems_csv"),
    # A draft is the random folder name students.uploads.upload_store made.
    re_path(r"^(?P<draft>[0-9a-f]{32})/$", import_views.mapping, name="mapping"),
]
