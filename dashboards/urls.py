"""Dashboard pages, mounted at /dashboards/."""

from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("tiers/", views.tiers, name="tiers"),
    path("core/", views.core, name="core"),
    path("completion/", views.completion, name="completion"),
    path("equity/", views.equity_view, name="equity"),
    path("interventions/", views.effectiveness, name="interventions"),
    path("behavior/", views.behavior, name="behavior"),
]
