from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _seed_demo(ctx) -> None:
    from decisions.demo import seed

    seed(ctx)


def _active_thresholds(district_ids: set[int]):
    from decisions.models import RuleSet

    return {
        rs.district_id: rs.as_thresholds()
        for rs in RuleSet.objects.filter(district_id__in=district_ids, is_active=True)
    }


def _close_moved_students_flags(**kwargs) -> None:
    from decisions.school_moves import flags_close_for_moved_students

    flags_close_for_moved_students(**kwargs)


class DecisionsConfig(AppConfig):
    name = "decisions"

    def ready(self) -> None:
        """Fill the roster's slots (students.slots): the Flags card, each team school's live
        flags on the home page, the demo step and the navigation entry; and give
        interventions the districts' thresholds."""
        from decisions import cards, class_view
        from decisions.events import subscribe_all
        from decisions.served import on_plan_started_outside_meeting
        from interventions.signals import plan_started_outside_meeting
        from screening.rule_settings import register_thresholds_reader
        from students import slots

        register_thresholds_reader(_active_thresholds)
        from indicators.rule_settings import register_thresholds_reader as indicators_reader

        indicators_reader(_active_thresholds)

        slots.PROFILE_CARDS.register(
            slots.ProfileCard(
                key="flags",
                order=10,
                title=_("Flags"),
                template="decisions/_student_flags_card.html",
                context=cards.student_flags_card,
                empty_text=_(
                    "Flags will appear here once screening scores are entered and the "
                    "decision rules have run."
                ),
            )
        )
        slots.HOME_SECTIONS.register(
            slots.HomeSection(
                key="class_view",
                order=5,
                template="decisions/_home_class_view.html",
                visible=class_view.for_teachers,
                context=class_view.home_classes,
            )
        )
        slots.SCHOOL_FACTS.register(
            slots.SchoolFacts(
                key="flags",
                order=10,
                template="decisions/_home_school_flags.html",
                collect=cards.school_flag_counts,
            )
        )
        slots.DEMO_LOADERS.register(slots.DemoLoader(key="decisions", order=30, seed=_seed_demo))
        # A student who changes school leaves their live flags behind, closed with the reason.
        slots.SCHOOL_MOVE_HANDLERS.register(
            slots.SchoolMoveHandler(key="flags", order=10, handle=_close_moved_students_flags)
        )
        slots.NAV_ENTRIES.register(
            slots.NavEntry(
                key="flags",
                order=30,
                template="decisions/_nav.html",
                visible=slots.for_school_teams,
            )
        )

        slots.SETTINGS_PAGES.register(
            slots.SettingsPage(
                key="rules",
                order=40,
                title=_("Decision rules"),
                description=_(
                    "Every threshold the rules use (percentile bands, progress "
                    "rules, referral bands), with its source, versioned, with a preview."
                ),
                url_name="decisions_settings:rule_sets",
            )
        )
        slots.PREVIEW_PAGES.register(
            slots.PreviewPage(key="cut_score_set", url_name="decisions_settings:cut_score_whatif")
        )

        # Screening's events (scores saved, window closed, referral recorded) schedule sweeps.
        subscribe_all()

        # A plan started outside a meeting answers the open flags it covers (decisions.served).
        plan_started_outside_meeting.connect(
            on_plan_started_outside_meeting, dispatch_uid="decisions.answer_flags_for_new_plan"
        )
