"""The stable half of the load benchmark: each endpoint requested in the benchmark's own
process (django.test.Client, the full middleware stack, the production settings), once to
warm up and then three times, with the number of SQL queries and the server time.

On a shared, busy machine the load figures move from run to run; these do not (the query
count not at all), so they show what a change to the code did.
"""

from __future__ import annotations

import random
import statistics
import time

from benchkit.load_accounts import page_name


def _requests(account: dict) -> list[tuple[str, str, dict | None]]:
    """(name, url, POST data or None) for one account: each page once, one save."""
    out: list[tuple[str, str, dict | None]] = []
    seen: set[str] = set()
    for name, url in account["pages"].items():
        if page_name(name) not in seen:
            seen.add(page_name(name))
            out.append((page_name(name), url, None))
    if account["students"]:
        out.append(("student profile", f"/students/{account['students'][0]}/", None))
    if account["cells"]:
        cell = account["cells"][0]
        out.append(("score save", cell["url"], cell))
    return out


def _request(client, url: str, cell: dict | None):  # noqa: ANN001, ANN202 -- a test Client
    if cell is None:
        return client.get(url)
    sid = cell["student"]
    value = random.randint(int(cell["low"]) + 1, int(cell["high"]))
    return client.post(url, {f"score-{sid}": str(value)}, HTTP_HX_REQUEST="true")


def measure_endpoints(accounts: list[dict]) -> list[tuple[str, int, float, float]]:
    """(endpoint, queries, median seconds of 3, median CPU seconds of this process of 3) for
    the first account of each role. The CPU time (Python's share of the request: not
    PostgreSQL's, not the waits) moves least on a busy machine."""
    from django.db import connection
    from django.test import Client

    import mtss.wsgi  # noqa: F401  -- as a gunicorn worker loads the app (warm-up, gc.freeze)
    from students.models import User

    executed: list[str] = []

    def count(execute, sql, params, many, context):  # noqa: ANN001 -- Django's wrapper API
        executed.append(sql)
        return execute(sql, params, many, context)

    results = []
    roles_done: set[str] = set()
    for account in accounts:
        if account["role"] in roles_done:
            continue
        roles_done.add(account["role"])
        client = Client()
        client.force_login(User.objects.get(username=account["username"]))
        for name, url, cell in _requests(account):
            _request(client, url, cell)
            times, cpu, queries = [], [], 0
            for run in range(3):
                executed.clear()
                with connection.execute_wrapper(count):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    response = _request(client, url, cell)
                    times.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                if response.status_code != 200:
                    raise SystemExit(
                        f"{url} answered {response.status_code} to {account['username']}"
                    )
                if run == 0:
                    queries = len(executed)
            results.append((name, queries, statistics.median(times), statistics.median(cpu)))
    return results
