from django.apps import AppConfig


def _run_calendar(job, progress):
    from indicators.attendance_import import calendar_import_run

    return calendar_import_run(job, progress)


def _run_attendance(job, progress):
    from indicators.attendance_import import attendance_import_run

    return attendance_import_run(job, progress)


def _run_marks(job, progress):
    from indicators.marks_import import marks_import_run

    return marks_import_run(job, progress)


def _attendance_card(*, user, student):
    from indicators.cards import attendance_card

    return attendance_card(user=user, student=student)


def _seed_demo(ctx) -> None:
    from indicators.demo import seed

    seed(ctx)


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Attendance and course marks"

    def ready(self) -> None:
        """Fill the roster's slots: the three importers (also picked up from the drop folder
        by file name) and the demo step (after screening's, before the rules run)."""
        from students import slots
        from students.models_imports import ImportJob

        for kind, run, names in (
            (ImportJob.Kind.SCHOOL_CALENDAR, _run_calendar, ("calendar*.csv",)),
            (ImportJob.Kind.ATTENDANCE, _run_attendance, ("attendance*.csv",)),
            (ImportJob.Kind.COURSE_MARKS, _run_marks, ("marks*.csv",)),
        ):
            slots.IMPORTERS.register(slots.Importer(key=kind, run=run, drop_files=names))
        slots.DEMO_LOADERS.register(slots.DemoLoader(key="indicators", order=15, seed=_seed_demo))
        slots.PROFILE_CARDS.register(
            slots.ProfileCard(
                key="attendance",
                order=35,
                title="Attendance and course marks",
                template="indicators/_student_attendance_card.html",
                context=_attendance_card,
                empty_text="Attendance and course marks appear here once the school imports "
                "them (Import & export).",
            )
        )
