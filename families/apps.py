from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _seed_demo(ctx) -> None:
    from families.demo import seed

    seed(ctx)


class FamiliesConfig(AppConfig):
    name = "families"

    def ready(self) -> None:
        """Hear of the team's decisions (families.receivers) and fill the roster's slots:
        the profile's "Family letters and referrals" card, the team's evaluation due dates on
        the home page, and the demo step."""
        from django.db.models.signals import post_save

        from families import cards
        from families.receivers import on_decision_saved
        from meetings.models import Decision
        from students import slots

        post_save.connect(on_decision_saved, sender=Decision, dispatch_uid="families.decision")
        slots.PROFILE_CARDS.register(
            slots.ProfileCard(
                key="families",
                order=60,
                title=_("Letters to the family and referrals"),
                template="families/_student_card.html",
                context=cards.student_card,
                empty_text=_("Letters drafted from the team's decisions appear here."),
            )
        )
        slots.HOME_SECTIONS.register(
            slots.HomeSection(
                key="evaluation_due",
                order=15,
                place="top",
                template="families/_home_referrals.html",
                visible=slots.for_school_teams,
                context=cards.home_referrals,
            )
        )
        slots.DEMO_LOADERS.register(slots.DemoLoader(key="families", order=50, seed=_seed_demo))
