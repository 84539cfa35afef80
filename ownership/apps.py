from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _seed_demo(ctx) -> None:
    from ownership.demo import seed

    seed(ctx)


class OwnershipConfig(AppConfig):
    name = "ownership"
    verbose_name = _("Student ownership")

    def ready(self) -> None:
        """Fill the roster's slots: the profile card "In the student's words" and the class
        view's panel (codes, reflection checks, the students' answers), the demo step; and end a student's
        session when a staff member signs in on the same browser."""
        from django.contrib.auth.signals import user_logged_in

        from ownership import cards
        from ownership.session import end_student_session_on_staff_login
        from students import slots

        slots.PROFILE_CARDS.register(
            slots.ProfileCard(
                key="ownership",
                order=45,
                title=_("In the student's own words"),
                template="ownership/_student_card.html",
                context=cards.student_words_card,
                empty_text=_(
                    "Nothing yet. Students write here on their own page, signed in "
                    "with a code their teacher prints."
                ),
            )
        )
        slots.CLASS_PANELS.register(
            slots.ClassPanel(
                key="ownership",
                order=10,
                template="ownership/_class_panel.html",
                collect=cards.class_panels,
            )
        )
        slots.DEMO_LOADERS.register(slots.DemoLoader(key="ownership", order=60, seed=_seed_demo))
        user_logged_in.connect(end_student_session_on_staff_login, dispatch_uid="ownership")
