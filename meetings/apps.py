from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _seed_demo(ctx) -> None:
    from meetings.demo import seed

    seed(ctx)


def _drop_moved_students_items(**kwargs) -> None:
    from meetings.school_moves import agenda_items_drop_for_moved_students

    agenda_items_drop_for_moved_students(**kwargs)


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        """Fill the roster's slots (students.slots): the "Team meetings" card, the user's
        action items on the home page, each team school's next meeting, the demo step and the
        navigation entry."""
        from meetings import cards
        from students import slots

        slots.PROFILE_CARDS.register(
            slots.ProfileCard(
                key="meetings",
                order=50,
                title=_("Team meetings"),
                template="meetings/_student_meetings_card.html",
                context=cards.student_meetings_card,
                empty_text=_(
                    "Decisions the school's team records about this student in its "
                    "meetings will appear here."
                ),
            )
        )
        # The section fetches its items itself (meetings_tags), so it needs no context here.
        slots.HOME_SECTIONS.register(
            slots.HomeSection(
                key="action_items",
                order=10,
                place="top",
                template="meetings/_home_action_items.html",
            )
        )
        slots.SCHOOL_FACTS.register(
            slots.SchoolFacts(
                key="next_meeting",
                order=20,
                template="meetings/_home_next_meeting.html",
                collect=cards.next_meetings,
            )
        )
        slots.DEMO_LOADERS.register(slots.DemoLoader(key="meetings", order=40, seed=_seed_demo))
        # A student who changes school leaves the old school's open agendas (after their
        # flags closed: decisions' handler runs first, order 10).
        slots.SCHOOL_MOVE_HANDLERS.register(
            slots.SchoolMoveHandler(key="agenda_items", order=20, handle=_drop_moved_students_items)
        )
        slots.NAV_ENTRIES.register(
            slots.NavEntry(
                key="meetings",
                order=60,
                template="meetings/_nav.html",
                visible=slots.for_school_teams,
            )
        )
