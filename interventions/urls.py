from django.urls import path

from interventions import views

app_name = "interventions"
urlpatterns = [
    path("", views.index, name="index"),
    path("caseload/", views.caseload, name="caseload"),
    path("progress/", views.progress_entry, name="progress_entry"),
    path("progress/save/", views.progress_grid_save, name="progress_grid_save"),
    path("progress/<int:pk>/cell/", views.progress_cell, name="progress_cell"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/session/", views.group_session, name="group_session"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_start, name="plan_start"),
    path("plans/new/check/", views.plan_entry_check, name="plan_entry_check"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/progress/", views.plan_progress_add, name="plan_progress_add"),
    path("plans/<int:pk>/session/", views.plan_session_add, name="plan_session_add"),
    path("plans/<int:pk>/fidelity/", views.plan_fidelity_add, name="plan_fidelity_add"),
    path("plans/<int:pk>/goal/", views.plan_goal_statement_add, name="plan_goal_statement_add"),
    path("plans/<int:pk>/self-rating/", views.plan_self_rating_add, name="plan_self_rating_add"),
    path("plans/<int:pk>/phase/", views.plan_phase_change, name="plan_phase_change"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("catalog/", views.catalog, name="catalog"),
    path("catalog/<int:pk>/", views.catalog_detail, name="catalog_detail"),
]
