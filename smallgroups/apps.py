from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _seed_demo(ctx) -> None:
    from smallgroups.demo import seed

    seed(ctx)


class SmallGroupsConfig(AppConfig):
    """Tier 1 small groups (issue 20 item 2): above decisions, whose pure proposal it uses."""

    name = "smallgroups"
    verbose_name = _("Tier 1 small groups")

    def ready(self) -> None:
        """Put the district's resource list among the settings pages; seed the demo's."""
        from students import slots

        slots.DEMO_LOADERS.register(slots.DemoLoader(key="smallgroups", order=35, seed=_seed_demo))

        slots.SETTINGS_PAGES.register(
            slots.SettingsPage(
                key="skill_resources",
                order=60,
                title=_("Tier 1 resources"),
                description=_(
                    "Online and offline content and activities per skill, by grade "
                    "band, that teachers link to their small groups."
                ),
                url_name="smallgroups_settings:resources",
            )
        )
