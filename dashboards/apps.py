from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"

    def ready(self) -> None:
        """Fill the roster's navigation and home-link slots (students.slots)."""
        from dashboards import cards
        from students import slots

        slots.NAV_ENTRIES.register(
            slots.NavEntry(
                key="dashboards",
                order=50,
                template="dashboards/_nav.html",
                visible=slots.for_school_teams,
            )
        )
        slots.HOME_LINKS.register(
            slots.HomeLink(
                key="dashboards",
                section="district",
                order=10,
                template="dashboards/_home_district_link.html",
                context=cards.district_home_links,
            )
        )
