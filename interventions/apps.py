from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _seed_demo(ctx) -> None:
    from interventions.demo import seed

    seed(ctx)


def _interventionist(user, roles: set[str]) -> bool:
    return "interventionist" in roles


def _seed_cico(ctx) -> None:
    from interventions.demo.cico import seed_cico

    seed_cico(ctx)


class InterventionsConfig(AppConfig):
    name = "interventions"

    def ready(self) -> None:
        """Fill the roster's slots (students.slots): two profile cards, the caseload (home
        section and the students it lets an interventionist see), the demo step and the
        navigation entry."""
        from interventions import cards
        from students import slots

        slots.PROFILE_CARDS.register(
            slots.ProfileCard(
                key="tiers",
                order=20,
                title=_("Tiers"),
                template="interventions/_student_tiers_card.html",
                context=cards.student_tiers_card,
                empty_text=_(
                    "The student's tier in reading, math, behavior and SEL will appear "
                    "here once the team records a placement."
                ),
            )
        )
        slots.PROFILE_CARDS.register(
            slots.ProfileCard(
                key="plans",
                order=40,
                title=_("Intervention plans"),
                template="interventions/_student_plans_card.html",
                context=cards.student_plans_card,
                empty_text=_(
                    "Intervention plans will appear here when the team places the "
                    "student in a Tier 2 or Tier 3 intervention."
                ),
            )
        )
        slots.HOME_SECTIONS.register(
            slots.HomeSection(
                key="caseload",
                order=20,
                template="interventions/_home_caseload.html",
                visible=_interventionist,
                context=cards.home_caseload,
            )
        )
        slots.CASELOAD_SOURCES.register(
            slots.CaseloadSource(
                key="intervention_plans", order=10, student_ids=cards.caseload_student_ids
            )
        )
        slots.DEMO_LOADERS.register(
            slots.DemoLoader(key="interventions", order=20, seed=_seed_demo)
        )
        slots.DEMO_LOADERS.register(slots.DemoLoader(key="cico", order=25, seed=_seed_cico))
        slots.SETTINGS_PAGES.register(
            slots.SettingsPage(
                key="catalog",
                order=50,
                title=_("Intervention catalog"),
                description=_(
                    "Your district's programs and practices: dosage, entry and exit "
                    "criteria, fidelity checklist and evidence stated in its source's terms."
                ),
                url_name="catalog_settings:catalog",
            )
        )
        slots.NAV_ENTRIES.register(
            slots.NavEntry(key="interventions", order=40, template="interventions/_nav.html")
        )
