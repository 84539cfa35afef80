"""The district's decision-rule settings and the what-if previews, at /settings/rules/."""

from django.urls import path

from decisions import settings_views as views

app_name = "decisions_settings"
urlpatterns = [
    path("", views.rule_sets, name="rule_sets"),
    path("<int:pk>/what-if/", views.rule_set_whatif, name="rule_set_whatif"),
    path("<int:pk>/activate/", views.rule_set_activate_view, name="rule_set_activate"),
    path("cut-scores/<int:pk>/what-if/", views.cut_score_whatif, name="cut_score_whatif"),
    path("cut-scores/<int:pk>/activate/", views.cut_score_activate_view, name="cut_score_activate"),
    path("previews/<int:pk>/progress/", views.preview_progress, name="preview_progress"),
]
