"""The district's passing rule for course marks, at /settings/marks/."""

from django.urls import path

from indicators import settings_views as views

app_name = "marks_settings"
urlpatterns = [path("", views.mark_rule_settings, name="rule")]
