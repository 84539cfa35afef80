"""Data exchange pages, mounted under /data/ by mtss/urls.py:
/data/imports/ (upload and recent jobs), /data/imports/<id>/ (progress),
/data/imports/<id>/report/, /data/imports/settings/ (drop folder), /data/exports/."""

from django.urls import path

from students import import_views as views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/settings/", views.import_settings, name="import_settings"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/problems.csv", views.import_problems_csv, name="import_problems_csv"),
    path("exports/", views.export_page, name="export_page"),
    path("exports/log/", views.export_log, name="export_log"),
]
