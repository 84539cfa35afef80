from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/prepare/", views.meeting_prepare, name="prepare"),
    path("<int:pk>/repeat/", views.meeting_recur, name="recur"),
    path("<int:pk>/items/add/", views.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/start/", views.meeting_start, name="start"),
    path("<int:pk>/run/", views.meeting_run, name="run"),
    path("<int:pk>/run/<int:item_pk>/", views.meeting_run_item, name="run_item"),
    path("<int:pk>/run/<int:item_pk>/decide/", views.item_decide, name="item_decide"),
    path("<int:pk>/run/<int:item_pk>/notes/", views.item_notes, name="item_notes"),
    path("<int:pk>/action-items/", views.action_item_add, name="action_item_add"),
    path("<int:pk>/close/", views.meeting_close, name="close"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("<int:pk>/minutes.csv", views.meeting_minutes_csv, name="minutes_csv"),
    path(
        "action-items/<int:action_pk>/status/", views.action_item_status, name="action_item_status"
    ),
    path("concerns/", views.concern_list, name="concern_list"),
    path("concerns/new/<int:student_pk>/", views.concern_new, name="concern_new"),
    path("concerns/<int:concern_pk>/withdraw/", views.concern_withdraw, name="concern_withdraw"),
]
