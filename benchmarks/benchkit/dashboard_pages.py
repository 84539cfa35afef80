"""The dashboard pages a district administrator opens, and how the benchmarks time them
cold and warm (benchmarks/dashboards.py; benchmarks/state_scale.py for the largest district
of a multi-district database).

Call `measure_pages` after benchkit.setup_django(...): it signs in a district administrator
with django.test.Client in this process (the full middleware stack, templates and charts)."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable


def _backend_cpu(connection) -> float | None:  # noqa: ANN001 -- Django's connection
    """CPU seconds used so far by the connection's PostgreSQL backend, or None when its
    process cannot be read (a server on another machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, fields 14 and 15 of proc(5), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pages(ids: dict[str, int]) -> list[tuple[str, str]]:
    school, winter = ids["school"], ids["winter"]
    return [
        ("index", "/dashboards/"),
        ("tiers (district, latest closed window)", "/dashboards/tiers/"),
        ("tiers + movement (winter)", f"/dashboards/tiers/?window={winter}"),
        ("tiers, one school", f"/dashboards/tiers/?school={school}"),
        ("core (district)", "/dashboards/core/"),
        ("core + growth (winter)", f"/dashboards/core/?window={winter}"),
        ("core, one school (classes)", f"/dashboards/core/?school={school}"),
        ("completion (district)", "/dashboards/completion/"),
        ("completion, one school", f"/dashboards/completion/?school={school}"),
        ("equity (district, at risk)", "/dashboards/equity/"),
        ("equity, placed, reading", "/dashboards/equity/?step=placed&domain=reading"),
        ("equity, one school, flagged", f"/dashboards/equity/?school={school}&step=flagged"),
        ("interventions", "/dashboards/interventions/"),
        ("behavior (district)", "/dashboards/behavior/"),
        ("behavior, one school", f"/dashboards/behavior/?school={school}"),
        ("tiers, three years (district)", "/dashboards/tiers/?span=3"),
        ("core, three years (district)", "/dashboards/core/?span=3"),
        ("equity, three years (district, at risk)", "/dashboards/equity/?span=3"),
        ("equity, three years, major referrals", "/dashboards/equity/?span=3&step=major_referral"),
        ("equity, three years, one school", f"/dashboards/equity/?span=3&school={school}"),
        ("behavior, three years (district)", "/dashboards/behavior/?span=3"),
        ("API equity", "/api/v1/dashboards/equity/?step=at_risk"),
        ("API tiers", "/api/v1/dashboards/tiers/"),
        ("CSV equity", "/dashboards/equity/?download=equity"),
    ]


def measure_pages(
    username: str = "district", say: Callable[[str], None] = print
) -> list[tuple[str, float, float, int, int]]:
    """(label, cold seconds, warm median seconds, queries of the cold request, bytes, seconds
    after a saved score) per page, for the district administrator `username`, in their own
    district.

    "Cold" is the first request after closing the database connection (a new connection,
    PostgreSQL's plan and catalog caches empty for it) with no cached figures, "warm" the
    median of the next three (figures from the cache)."""
    from django.core.cache import caches
    from django.db import connection, connections
    from django.test import Client

    from screening.models import ScreeningWindow
    from students.models import Membership, School, User

    admin = User.objects.get(username=username)
    district_id = Membership.objects.filter(user=admin).values_list("district_id", flat=True)[0]
    ids = {
        "school": School.objects.filter(district_id=district_id)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
        "winter": ScreeningWindow.objects.filter(
            season="winter",
            school_year__is_current=True,
            school_year__district_id=district_id,
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
    }
    client = Client()
    client.force_login(admin)
    # Load the app as a gunicorn worker does (mtss/wsgi.py: plotly warmed up, gc.freeze()),
    # then one request, so that imports, URL resolution and template loading (once per
    # process) are not charged to the first page.
    import mtss.wsgi  # noqa: F401

    client.get("/dashboards/")
    results = []
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # noqa: ANN001 -- Django's wrapper API
        executed.append(sql)
        return execute(sql, params, many, context)

    for number, (label, path) in enumerate(pages(ids)):
        # The worked-out figures are cached (dashboards/panel_cache.py): a cache version of
        # this run and page makes the cold request work them out, the warm ones read them.
        caches["dashboards"].version = int(time.time() * 1000) + number
        connections.close_all()
        executed.clear()
        connection.ensure_connection()
        backend = _backend_cpu(connection)
        with connection.execute_wrapper(count):
            cpu = time.process_time()
            started = time.perf_counter()
            response = client.get(path)
            cold = time.perf_counter() - started
            cpu = time.process_time() - cpu
        if backend is not None and (after := _backend_cpu(connection)) is not None:
            cpu_text = f"cpu {cpu + after - backend:6.3f} s"
        else:
            cpu_text = f"cpu {cpu:6.3f} s (py)"
        queries = len(executed)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        warm_runs = []
        warm_cpu = []
        for _ in range(3):
            backend = _backend_cpu(connection)
            cpu = time.process_time()
            started = time.perf_counter()
            client.get(path)
            warm_runs.append(time.perf_counter() - started)
            cpu = time.process_time() - cpu
            if backend is not None and (after := _backend_cpu(connection)) is not None:
                cpu += after - backend
            warm_cpu.append(cpu)
        warm = statistics.median(warm_runs)
        # A teacher saves a score (one per window of the year, each window's figures move):
        # what the next reader pays while scores are being entered.
        touch_scores()
        started = time.perf_counter()
        client.get(path)
        moved = time.perf_counter() - started
        results.append((label, cold, warm, queries, len(response.content), moved))
        say(
            f"  {label:<40} cold {cold:6.3f} s   {cpu_text}   "
            f"warm {warm:6.3f} s   cpu {statistics.median(warm_cpu):6.3f} s   "
            f"after a saved score {moved:6.3f} s   {queries:3d} queries"
        )
    return results


def touch_scores() -> None:
    """Save one score of each window of the current years again, unchanged: the statement
    moves the dashboards' data version of every window, as a teacher's save does its own."""
    from django.db.models import F, Min

    from screening.models import ScreeningScore

    firsts = (
        ScreeningScore.objects.filter(window__school_year__is_current=True)
        .values("window_id")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    ScreeningScore.objects.filter(pk__in=list(firsts)).update(score=F("score"))
