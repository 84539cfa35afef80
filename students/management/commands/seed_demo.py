"""`manage.py seed_demo`: load the synthetic demo district (see students/demo/, docs/demo-data.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mtss.lib.progress import ProgressBar
from students import demo
from students.demo.districts import MAX_DISTRICTS, seed_districts
from students.models import District


class Command(BaseCommand):
    help = "Build a synthetic demo district: schools, a school year, sections, staff, students."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--students",
            type=int,
            default=demo.DEFAULT_STUDENTS,
            help=f"How many students (default {demo.DEFAULT_STUDENTS}; at least {demo.MIN_STUDENTS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="Random seed; the same seed gives the same district.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a district.",
        )
        parser.add_argument(
            "--districts",
            type=int,
            default=1,
            help="How many districts, each of --students students (default 1). District 1 is "
            "the usual demo district; the others get their own names, seeds and demo logins "
            "(teacher-d2, district-d2, ...).",
        )
        parser.add_argument("--district-name", default=demo.DEFAULT_DISTRICT_NAME)
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Draw a progress bar of the steps instead of listing each step's time.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        students, seed = options["students"], options["seed"]
        if options["if_empty"] and District.objects.exists():
            self.stdout.write("The database already has a district; demo data not loaded.")
            return
        if students < demo.MIN_STUDENTS:
            raise CommandError(f"--students must be at least {demo.MIN_STUDENTS}.")
        if seed < 0:
            raise CommandError("--seed must be zero or a positive number.")
        if options["districts"] != 1:
            self._many(options["districts"], students, seed, options["district_name"])
            return
        self.stdout.write(f"Loading a demo district of {students:,} students (seed {seed})...")
        started = time.perf_counter()
        bar = ProgressBar(
            lambda text: self.stdout.write(text, ending=""),
            in_place=self.stdout.isatty(),
            flush=self.stdout.flush,
        )
        try:
            ctx = demo.seed_demo(
                students=students,
                seed=seed,
                district_name=options["district_name"],
                log=None if options["progress"] else self.stdout.write,
                progress=bar.show if options["progress"] else None,
            )
        except demo.DemoAccountsExist as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.end()  # a failure half way starts its message on a line of its own
        seconds = time.perf_counter() - started
        if options["progress"]:  # the bar named the steps; their times in one line
            steps = ", ".join(f"{step} {t:.1f} s" for step, t in ctx.timings.items())
            self.stdout.write(f"  ({steps})")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district '{ctx.district.name}': {len(ctx.elementary_schools)} elementary "
                f"and {len(ctx.middle_schools)} middle schools, {len(ctx.sections):,} sections, "
                f"{len(ctx.students):,} students in {seconds:.1f} s "
                f"({len(ctx.students) / seconds:,.0f} students/s)."
            )
        )

    def _many(self, districts: int, students: int, seed: int, name: str) -> None:
        if not 1 <= districts <= MAX_DISTRICTS:
            raise CommandError(f"--districts must be between 1 and {MAX_DISTRICTS}.")
        self.stdout.write(
            f"Loading {districts} demo districts of {students:,} students each (seed {seed})..."
        )
        started = time.perf_counter()
        try:
            contexts = seed_districts(
                districts=districts,
                students=students,
                seed=seed,
                district_name_1=name,
                log=self.stdout.write,
            )
        except demo.DemoAccountsExist as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        total = sum(len(ctx.students) for ctx in contexts)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(contexts)} demo districts, {total:,} students in {seconds:.1f} s "
                f"({total / seconds:,.0f} students/s)."
            )
        )
