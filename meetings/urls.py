from django.urls import path

from meetings.views import action_items, agenda, classwide, concerns, minutes, run, scheduling

app_name = "meetings"
urlpatterns = [
    path("", scheduling.meeting_list, name="list"),
    path("new/", scheduling.meeting_new, name="new"),
    path("<int:pk>/", agenda.meeting_detail, name="detail"),
    path("<int:pk>/edit/", agenda.meeting_edit, name="edit"),
    path("<int:pk>/prepare/", agenda.meeting_prepare, name="prepare"),
    path("<int:pk>/repeat/", agenda.meeting_recur, name="recur"),
    path("<int:pk>/items/add/", agenda.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/move/", agenda.item_move, name="item_move"),
    path("<int:pk>/items/<int:item_pk>/remove/", agenda.item_remove, name="item_remove"),
    path("<int:pk>/start/", run.meeting_start, name="start"),
    path("<int:pk>/run/", run.meeting_run, name="run"),
    path("<int:pk>/run/<int:item_pk>/", run.meeting_run_item, name="run_item"),
    path("<int:pk>/run/<int:item_pk>/decide/", run.item_decide, name="item_decide"),
    path(
        "<int:pk>/run/<int:item_pk>/classwide/",
        classwide.classwide_decide,
        name="classwide_decide",
    ),
    path("<int:pk>/run/<int:item_pk>/notes/", run.item_notes, name="item_notes"),
    path("<int:pk>/action-items/", action_items.action_item_add, name="action_item_add"),
    path("<int:pk>/close/", run.meeting_close, name="close"),
    path("<int:pk>/minutes/", minutes.meeting_minutes, name="minutes"),
    path("<int:pk>/minutes.csv", minutes.meeting_minutes_csv, name="minutes_csv"),
    path(
        "action-items/<int:action_pk>/status/",
        action_items.action_item_status,
        name="action_item_status",
    ),
    path("concerns/", concerns.concern_list, name="concern_list"),
    path("concerns/new/<int:student_pk>/", concerns.concern_new, name="concern_new"),
    path("concerns/<int:concern_pk>/withdraw/", concerns.concern_withdraw, name="concern_withdraw"),
]
