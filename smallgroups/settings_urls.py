"""The district's Tier 1 resource list, at /settings/resources/."""

from django.urls import path

from smallgroups import settings_views as views

app_name = "smallgroups_settings"
urlpatterns = [
    path("", views.resources, name="resources"),
    path("<int:pk>/", views.resource_edit, name="resource_edit"),
    path("<int:pk>/remove/", views.resource_remove, name="resource_remove"),
]
