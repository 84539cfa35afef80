from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from mtss.health import healthz
from mtss.js_catalog import javascript_catalog


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page links; the icon is a static file (its
    hashed name is looked up per request, so a missing manifest cannot break the URLconf)."""
    return HttpResponseRedirect(static("img/favicon.ico"))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    # The words of static/js/*.js, in a version the browser keeps (mtss/js_catalog.py).
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),
    path("api/v1/", include("mtss.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its set-up script as a file, as the Content-Security-Policy needs.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("screening/import/", include("screening.import_urls")),
    path("screening/", include("screening.urls")),
    path("interventions/", include("interventions.urls")),
    path("flags/", include("decisions.urls")),
    path("classes/", include("smallgroups.urls")),
    path("meetings/", include("meetings.urls")),
    path("families/", include("families.urls")),
    path("dashboards/", include("dashboards.urls")),
    # The student's own page (/me/...) and the teacher's codes and questions (/ownership/...).
    path("", include("ownership.urls")),
    path("data/", include("students.import_urls")),
    path("settings/screening/", include("screening.settings_urls")),
    path("settings/rules/", include("decisions.settings_urls")),
    path("settings/catalog/", include("interventions.settings_urls")),
    path("settings/marks/", include("indicators.settings_urls")),
    path("settings/resources/", include("smallgroups.settings_urls")),
    path("", include("students.urls")),
]

handler404 = "mtss.errors.page_not_found"
handler500 = "mtss.errors.server_error"
