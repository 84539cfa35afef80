from django.urls import path

from interventions.views import (
    cico,
    groups,
    home,
    lists,
    new_plan,
    plan_actions,
    plan_page,
    progress_grid,
)

app_name = "interventions"
urlpatterns = [
    path("", home.index, name="index"),
    path("caseload/", home.caseload, name="caseload"),
    path("progress/", progress_grid.progress_entry, name="progress_entry"),
    path("progress/save/", progress_grid.progress_grid_save, name="progress_grid_save"),
    path("progress/<int:pk>/cell/", progress_grid.progress_cell, name="progress_cell"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/session/", groups.group_session, name="group_session"),
    path("plans/", lists.plan_list, name="plan_list"),
    path("plans/new/", new_plan.plan_start, name="plan_start"),
    path("plans/new/check/", new_plan.plan_entry_check, name="plan_entry_check"),
    path("plans/<int:pk>/", plan_page.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/progress/", plan_actions.plan_progress_add, name="plan_progress_add"),
    path("plans/<int:pk>/session/", plan_actions.plan_session_add, name="plan_session_add"),
    path("plans/<int:pk>/fidelity/", plan_actions.plan_fidelity_add, name="plan_fidelity_add"),
    path(
        "plans/<int:pk>/goal/",
        plan_actions.plan_goal_statement_add,
        name="plan_goal_statement_add",
    ),
    path(
        "plans/<int:pk>/self-rating/",
        plan_actions.plan_self_rating_add,
        name="plan_self_rating_add",
    ),
    path("plans/<int:pk>/phase/", plan_actions.plan_phase_change, name="plan_phase_change"),
    path("plans/<int:pk>/close/", plan_actions.plan_close, name="plan_close"),
    path("plans/<int:pk>/card/", cico.cico_card, name="cico_card"),
    path("cico/report/", cico.cico_report, name="cico_report"),
    path("catalog/", lists.catalog, name="catalog"),
    path("catalog/<int:pk>/", lists.catalog_detail, name="catalog_detail"),
]
