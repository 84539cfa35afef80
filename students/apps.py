from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = "Roster"

    def ready(self) -> None:
        from students.imports import JOB_QUEUED
        from students.outbox import subscribe
        from students.tasks import job_queued_send

        subscribe(JOB_QUEUED, job_queued_send)
