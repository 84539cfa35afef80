"""This app's routes under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from interventions.api.catalog import InterventionViewSet
from interventions.api.cico import CicoCardViewSet
from interventions.api.plans import PlanViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("interventions", InterventionViewSet, basename="intervention")
    router.register("plans", PlanViewSet, basename="plan")
    router.register("cico-cards", CicoCardViewSet, basename="cico-card")
