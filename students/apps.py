from django.apps import AppConfig


def _run_oneroster(job, progress):
    from students.oneroster.jobs import run_oneroster

    return run_oneroster(job, progress)


def _run_student_groups(job, progress):
    from students.oneroster.jobs import run_student_groups

    return run_student_groups(job, progress)


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = "Roster"

    def ready(self) -> None:
        """The roster's own entries of its slots (students.slots): its importers and its
        "Import & export" navigation entry."""
        from students import slots
        from students.models_imports import ImportJob

        slots.IMPORTERS.register(slots.Importer(key=ImportJob.Kind.ONEROSTER, run=_run_oneroster))
        slots.IMPORTERS.register(
            slots.Importer(key=ImportJob.Kind.STUDENT_GROUPS, run=_run_student_groups)
        )
        slots.NAV_ENTRIES.register(
            slots.NavEntry(key="data", order=20, template="students/_nav_data.html")
        )
