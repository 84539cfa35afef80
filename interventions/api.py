"""REST API of the interventions app."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
