from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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


# The upload form's wording (students/import_forms.py): what the file is, then its columns.
UPLOADS = (
    (
        "SCHOOL_CALENDAR",
        _run_calendar,
        ("calendar*.csv",),
        _("School calendar: school days and holidays of each school (.csv)"),
        _(
            "Columns school (name or OneRoster sourcedId), date (YYYY-MM-DD) and, optionally, "
            "day (school day, holiday or no school; empty means a school day). Import it before "
            "attendance: attendance on a day that is not a school day is refused."
        ),
    ),
    (
        "ATTENDANCE",
        _run_attendance,
        ("attendance*.csv",),
        _("Daily attendance (.csv)"),
        _(
            "Columns student_id (the student ID in your student information system), date "
            "(YYYY-MM-DD) and status: P present, T tardy, E excused absence, U unexcused absence."
        ),
    ),
    (
        "COURSE_MARKS",
        _run_marks,
        ("marks*.csv",),
        _("Course marks for a grading period (.csv)"),
        _(
            "Columns student_id, course_code, grading_period, period_end (YYYY-MM-DD) and mark "
            "(a letter such as B+ or a percent); optionally course_name, subject, core (Y/N) and "
            "section."
        ),
    ),
)


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Attendance and course marks")

    def ready(self) -> None:
        """Fill the roster's slots: the three importers (also picked up from the drop folder
        by file name) and the demo step (after screening's, before the rules run)."""
        from students import slots
        from students.models_imports import ImportJob

        for order, (kind, run, names, label, help) in enumerate(UPLOADS, start=10):
            slots.IMPORTERS.register(
                slots.Importer(
                    key=getattr(ImportJob.Kind, kind),
                    run=run,
                    order=order,
                    drop_files=names,
                    label=label,
                    help=help,
                )
            )
        slots.DEMO_LOADERS.register(slots.DemoLoader(key="indicators", order=15, seed=_seed_demo))
        slots.SETTINGS_PAGES.register(
            slots.SettingsPage(
                key="marks",
                order=60,
                title=_("Passing rule for course marks"),
                description=_(
                    "The lowest passing percent, the failing letters and the core "
                    "subjects the course-failure flag reads."
                ),
                url_name="marks_settings:rule",
            )
        )
        slots.PROFILE_CARDS.register(
            slots.ProfileCard(
                key="attendance",
                order=35,
                title=_("Attendance and course marks"),
                template="indicators/_student_attendance_card.html",
                context=_attendance_card,
                empty_text=_(
                    "Attendance and course marks appear here once the school imports "
                    "them (Import & export)."
                ),
            )
        )
