"""Pages of the screening app, mounted at /screening/."""

from django.urls import path

from screening.views import completion_pages, entry, ratings, referrals

app_name = "screening"
urlpatterns = [
    path("entry/", entry.score_entry, name="score_entry"),
    path("entry/save/", entry.score_entry_save, name="score_entry_save"),
    path(
        "entry/<int:section_pk>/<int:window_pk>/<int:measure_pk>/cell/<int:student_pk>/",
        entry.score_entry_cell,
        name="score_entry_cell",
    ),
    path("behavior/", ratings.behavior_rating, name="behavior_rating"),
    path(
        "behavior/<int:section_pk>/<int:window_pk>/rate/<int:student_pk>/",
        ratings.behavior_rating_save,
        name="behavior_rating_save",
    ),
    path("completion/", completion_pages.completion, name="completion"),
    path("completion/missing/", completion_pages.completion_missing, name="completion_missing"),
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("referrals/new/", referrals.referral_new, name="referral_new"),
]
