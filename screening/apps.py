from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _seed_demo(ctx) -> None:
    from screening.demo import seed

    seed(ctx)


def _run_score_import(job, progress):
    from screening.score_import.jobs import score_import_run

    return score_import_run(job, progress)


def _settings_pages():
    from students import slots

    return [
        slots.SettingsPage(
            key="windows",
            order=10,
            title=_("Screening windows"),
            description=_(
                "When the district screens (fall, winter, spring); a school's own "
                "dates where it screens on another schedule."
            ),
            url_name="screening_settings:windows",
            visible=slots.for_administrators,
        ),
        slots.SettingsPage(
            key="measures",
            order=20,
            title=_("Measures"),
            description=_(
                "What is measured: grades, which direction is better, unit, use, "
                "and the tolerance of the trend-line rule."
            ),
            url_name="screening_settings:measures",
        ),
        slots.SettingsPage(
            key="cut_scores",
            order=30,
            title=_("Cut scores"),
            description=_(
                "The benchmark and high-risk cut per grade and window, versioned, "
                "with a preview of what a new version would change."
            ),
            url_name="screening_settings:cut_scores",
        ),
        slots.SettingsPage(
            key="accuracy",
            order=35,
            title=_("Local accuracy of cut scores"),
            description=_(
                "How well a fall cut score predicted the later outcome in your "
                "district: sensitivity, specificity and share flagged per cut value."
            ),
            url_name="screening_settings:accuracy",
        ),
    ]


class ScreeningConfig(AppConfig):
    name = "screening"

    def ready(self) -> None:
        """Fill the roster's slots (students.slots): the profile card, the teacher's link on
        the home page, the score importer, the demo step and the navigation entry."""
        from screening import cards
        from students import slots
        from students.models_imports import ImportJob

        slots.PROFILE_CARDS.register(
            slots.ProfileCard(
                key="screening",
                order=30,
                title=_("Screening history"),
                template="screening/_student_screening_card.html",
                context=cards.student_screening_card,
                empty_text=_(
                    "Screening scores will appear here once they are entered for a "
                    "screening window."
                ),
            )
        )
        slots.HOME_LINKS.register(
            slots.HomeLink(
                key="screening",
                section="teacher",
                order=10,
                template="screening/_home_teacher_link.html",
            )
        )
        slots.IMPORTERS.register(
            slots.Importer(key=ImportJob.Kind.SCREENING_SCORES, run=_run_score_import)
        )
        slots.DEMO_LOADERS.register(slots.DemoLoader(key="screening", order=10, seed=_seed_demo))
        slots.NAV_ENTRIES.register(
            slots.NavEntry(key="screening", order=10, template="screening/_nav.html")
        )
        for entry in _settings_pages():
            slots.SETTINGS_PAGES.register(entry)
