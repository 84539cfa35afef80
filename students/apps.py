from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _run_oneroster(job, progress):
    from students.oneroster.jobs import run_oneroster

    return run_oneroster(job, progress)


def _run_student_groups(job, progress):
    from students.oneroster.jobs import run_student_groups

    return run_student_groups(job, progress)


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Roster")

    def ready(self) -> None:
        """The roster's own entries of its slots (students.slots): its importers and its
        "Import & export" navigation entry; and the outbox subscriber that sends queued imports."""
        from students import slots
        from students.imports import JOB_QUEUED
        from students.models_imports import ImportJob
        from students.outbox import subscribe
        from students.tasks import job_queued_send

        slots.IMPORTERS.register(slots.Importer(key=ImportJob.Kind.ONEROSTER, run=_run_oneroster))
        slots.IMPORTERS.register(
            slots.Importer(key=ImportJob.Kind.STUDENT_GROUPS, run=_run_student_groups)
        )
        slots.NAV_ENTRIES.register(
            slots.NavEntry(key="data", order=20, template="students/_nav_data.html")
        )
        # The settings home lists the apps' settings pages (SETTINGS_PAGES); administrators
        # reach it from the navigation bar.
        slots.NAV_ENTRIES.register(
            slots.NavEntry(
                key="settings",
                order=90,
                template="students/_nav_settings.html",
                visible=slots.for_administrators,
            )
        )
        # A queued import is announced through the outbox; sending it to a worker follows.
        subscribe(JOB_QUEUED, job_queued_send)
