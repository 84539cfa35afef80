"""`manage.py load_intervention_catalog`: create or update the shared intervention catalog."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from interventions.catalog.loading import load_catalog


class Command(BaseCommand):
    help = "Create or update the shared intervention catalog (interventions/catalog/)."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = load_catalog()
        self.stdout.write(self.style.SUCCESS(f"Shared catalog: {len(ids)} interventions."))
