from django.apps import AppConfig


class SmallGroupsConfig(AppConfig):
    """Tier 1 small groups (issue 20 item 2): above decisions, whose pure proposal it uses."""

    name = "smallgroups"
    verbose_name = "Tier 1 small groups"

    def ready(self) -> None:
        """Put the district's resource list among the settings pages."""
        from students import slots

        slots.SETTINGS_PAGES.register(
            slots.SettingsPage(
                key="skill_resources",
                order=60,
                title="Tier 1 resources",
                description="Online and offline content and activities per skill, by grade "
                "band, that teachers link to their small groups.",
                url_name="smallgroups_settings:resources",
            )
        )
