from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"

    def ready(self) -> None:
        # A plan started outside a meeting answers the open flags it covers (decisions.served).
        from decisions.served import on_plan_started_outside_meeting
        from interventions.signals import plan_started_outside_meeting

        plan_started_outside_meeting.connect(
            on_plan_started_outside_meeting, dispatch_uid="decisions.answer_flags_for_new_plan"
        )
