"""Pages of the screening app, mounted at /screening/."""

from django.urls import path

from screening import views

app_name = "screening"
urlpatterns = [
    path("entry/", views.score_entry, name="score_entry"),
    path("entry/save/", views.score_entry_save, name="score_entry_save"),
    path(
        "entry/<int:section_pk>/<int:window_pk>/<int:measure_pk>/cell/<int:student_pk>/",
        views.score_entry_cell,
        name="score_entry_cell",
    ),
    path("behavior/", views.behavior_rating, name="behavior_rating"),
    path(
        "behavior/<int:section_pk>/<int:window_pk>/rate/<int:student_pk>/",
        views.behavior_rating_save,
        name="behavior_rating_save",
    ),
    path("completion/", views.completion, name="completion"),
    path("completion/missing/", views.completion_missing, name="completion_missing"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_new, name="referral_new"),
]
