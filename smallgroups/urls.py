from django.urls import path

from smallgroups import views

app_name = "smallgroups"
urlpatterns = [
    path("<int:section_id>/groups/", views.groups_page, name="groups"),
    path("<int:section_id>/groups/keep/", views.groups_keep_view, name="groups_keep"),
    path(
        "<int:section_id>/groups/<int:group_id>/resources/",
        views.group_resources_view,
        name="group_resources",
    ),
]
