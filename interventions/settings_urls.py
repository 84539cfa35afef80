"""The district's catalog settings, at /settings/catalog/."""

from django.urls import path

from interventions import settings_views as views

app_name = "catalog_settings"
urlpatterns = [
    path("", views.catalog_settings, name="catalog"),
    path("new/", views.catalog_entry_edit, name="entry_new"),
    path("<int:pk>/", views.catalog_entry_edit, name="entry_edit"),
]
