from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"

    def ready(self) -> None:
        """Fill the roster's navigation slot (students.slots.NAV_ENTRIES)."""
        from students import slots

        slots.NAV_ENTRIES.register(
            slots.NavEntry(
                key="dashboards",
                order=50,
                template="dashboards/_nav.html",
                visible=slots.for_school_teams,
            )
        )
