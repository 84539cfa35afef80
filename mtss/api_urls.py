"""/api/v1/: one router; each app registers its viewsets in its api.py."""

from rest_framework.routers import DefaultRouter

from dashboards import api as dashboards_api
from decisions import api as decisions_api
from families import api as families_api
from indicators import api as indicators_api
from interventions import api as interventions_api
from meetings import api as meetings_api
from screening import api as screening_api
from students import api as students_api

router = DefaultRouter()
for module in (
    students_api,
    indicators_api,
    screening_api,
    interventions_api,
    decisions_api,
    meetings_api,
    families_api,
    dashboards_api,
):
    module.register(router)

urlpatterns = router.urls
for module in (dashboards_api, decisions_api):
    urlpatterns += getattr(module, "extra_urlpatterns", [])
