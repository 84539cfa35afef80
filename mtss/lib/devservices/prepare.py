"""`run`'s preparation, in one process so Django starts once: migrate (with the system checks,
which runserver and Celery then skip) and load the demo district when the database is empty,
each with a progress bar.

It also writes the demo logins (manage.py demo_logins) to a file, which `run` prints once the
web server answers: one Django start fewer between the answer and the URL.

Usage: python -m mtss.lib.devservices.prepare URL LOGINS_FILE [seed_demo options]
"""

from __future__ import annotations

import os
import sys

from mtss.lib.devservices.paths import say
from mtss.lib.progress import ProgressBar


def _pending_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migrate() -> None:
    from django.core.management import call_command
    from django.core.management.commands.migrate import Command as Migrate

    total = _pending_migrations()
    if total:
        say(f"migrating the database: {total} migrations to apply")
    else:
        say("checking the code and the database (no migration to apply)")
    bar = ProgressBar()

    class WithProgress(Migrate):
        done = 0

        def migration_progress_callback(self, action, migration=None, fake=False):
            if action == "apply_start":
                bar.show(self.done, total, str(migration))
            elif action == "apply_success":
                self.done += 1
                if self.done == total:
                    bar.show(total, total, "done")

    try:
        call_command(WithProgress(), interactive=False, verbosity=0, skip_checks=False)
    finally:
        bar.end()


def main(argv: list[str]) -> int:
    url, logins_file, *seed_args = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtss.settings")
    import django

    django.setup()
    from django.core.management import call_command

    migrate()
    call_command("seed_demo", "--if-empty", "--progress", *seed_args)
    with open(logins_file, "w") as out:
        call_command("demo_logins", f"--url={url}", stdout=out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
