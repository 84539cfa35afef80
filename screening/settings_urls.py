"""The district's screening settings, mounted at /settings/screening/."""

from django.urls import path

from screening.views import settings_accuracy, settings_measures, settings_windows
from screening.views import settings_cut_scores as cuts

app_name = "screening_settings"
urlpatterns = [
    path("windows/", settings_windows.windows, name="windows"),
    path("windows/add/", settings_windows.window_add, name="window_add"),
    path("windows/<int:pk>/dates/", settings_windows.window_dates, name="window_dates"),
    path("windows/<int:pk>/toggle/", settings_windows.window_toggle, name="window_toggle"),
    path(
        "windows/<int:pk>/school-dates/",
        settings_windows.window_school_dates,
        name="window_school_dates",
    ),
    path("measures/", settings_measures.measures, name="measures"),
    path("measures/new/", settings_measures.measure_edit, name="measure_new"),
    path("measures/<int:pk>/", settings_measures.measure_edit, name="measure_edit"),
    path("accuracy/", settings_accuracy.accuracy, name="accuracy"),
    path("cut-scores/", cuts.cut_score_sets, name="cut_scores"),
    path("cut-scores/<int:pk>/", cuts.cut_score_set_detail, name="cut_score_set"),
    path("cut-scores/<int:pk>/copy/", cuts.cut_score_set_copy_view, name="cut_score_copy"),
    path("cut-scores/<int:pk>/edit/", cuts.cut_score_set_revise_view, name="cut_score_revise"),
]
