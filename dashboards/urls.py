"""Dashboard pages, mounted at /dashboards/."""

from django.urls import path

from dashboards.views.behavior import behavior
from dashboards.views.completion import completion
from dashboards.views.core import core
from dashboards.views.early_warning import early_warning
from dashboards.views.equity import equity_view
from dashboards.views.interventions import effectiveness
from dashboards.views.page import index
from dashboards.views.tiers import tiers

app_name = "dashboards"
urlpatterns = [
    path("", index, name="index"),
    path("tiers/", tiers, name="tiers"),
    path("core/", core, name="core"),
    path("completion/", completion, name="completion"),
    path("equity/", equity_view, name="equity"),
    path("interventions/", effectiveness, name="interventions"),
    path("behavior/", behavior, name="behavior"),
    path("early-warning/", early_warning, name="early_warning"),
]
