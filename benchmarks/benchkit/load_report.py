"""Reading locust's CSV statistics and gunicorn's access log, and the load benchmark's
table and targets (benchmarks/http_load.py)."""

from __future__ import annotations

import csv
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

SAVE = "score save"
STATIC = "static file"
SAVE_P95_MS = 300.0
PAGE_P95_MS = 1000.0
TARGET_USERS = 50
NO_FAILURE_USERS = 100

# gunicorn's access log (servers.py's format: method, path, status, microseconds) back to
# the benchmark's endpoint names.
ENDPOINTS = [
    ("score save", re.compile(r"^/screening/entry/\d+/\d+/\d+/cell/\d+/$")),
    ("class grid", re.compile(r"^/screening/entry/$")),
    ("home", re.compile(r"^/$")),
    ("caseload", re.compile(r"^/interventions/caseload/$")),
    ("progress grid", re.compile(r"^/interventions/progress/$")),
    ("flag list", re.compile(r"^/flags/$")),
    ("student profile", re.compile(r"^/students/\d+/$")),
    ("meeting card", re.compile(r"^/meetings/\d+/run/\d+/$")),
    ("dashboard tiers", re.compile(r"^/dashboards/tiers/$")),
    ("dashboard core", re.compile(r"^/dashboards/core/$")),
    ("dashboard equity", re.compile(r"^/dashboards/equity/$")),
    ("static file", re.compile(r"^/static/")),
]


@dataclass
class Row:
    count: int
    failures: int
    p50: float
    p95: float
    p99: float


@dataclass
class Level:
    users: int
    seconds: float
    load: float
    rows: dict[str, Row] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return sum(r.count for r in self.rows.values())

    @property
    def failures(self) -> int:
        return sum(r.failures for r in self.rows.values())

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def app_rps(self) -> float:
        """Requests/s without the static files (mostly each new user's first page)."""
        app = sum(r.count for name, r in self.rows.items() if name != STATIC)
        return app / self.seconds if self.seconds else 0.0


def _ms(text: str) -> float:
    return float(text) if text not in ("", "N/A") else float("nan")


def read_locust_csv(prefix: Path) -> dict[str, Row]:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["Name"] == "Aggregated" or not int(r["Request Count"]):
                continue
            rows[r["Name"]] = Row(
                count=int(r["Request Count"]),
                failures=int(r["Failure Count"]),
                p50=_ms(r["50%"]),
                p95=_ms(r["95%"]),
                p99=_ms(r["99%"]),
            )
    return rows


def access_log_offset(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def server_times(path: Path, start: int) -> dict[str, float]:
    """Median server time (ms) per endpoint in the access log from byte `start` on."""
    times: dict[str, list[float]] = {}
    with open(path, "rb") as f:
        f.seek(start)
        for line in f.read().decode(errors="replace").splitlines():
            parts = line.split()
            if len(parts) != 4:
                continue
            for name, pattern in ENDPOINTS:
                if pattern.match(parts[1]):
                    times.setdefault(name, []).append(int(parts[3]) / 1000)
                    break
    return {name: statistics.median(v) for name, v in times.items()}


def _fmt(value: float) -> str:
    return "-" if value != value else f"{value:.0f}"


def print_levels(levels: list[Level]) -> None:
    base = next((level.rows for level in levels if level.users == 1), {})
    for level in levels:
        print(
            f"\n{level.users} user{'s' if level.users != 1 else ''}: {level.rps:.1f} requests/s "
            f"({level.app_rps:.1f} without static files), "
            f"{level.failures} failures in {level.requests} requests over {level.seconds:.0f} s, "
            f"load average {level.load:.1f}"
        )
        print(
            f"  {'endpoint':<18} {'count':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'p95/1-user':>10}"
        )
        for name, r in sorted(level.rows.items()):
            ratio = r.p95 / base[name].p95 if name in base and base[name].p95 else float("nan")
            print(
                f"  {name:<18} {r.count:>6} {r.failures:>5} {_fmt(r.p50):>7} {_fmt(r.p95):>7} "
                f"{_fmt(r.p99):>7} {('-' if ratio != ratio else f'{ratio:.1f}x'):>10}"
            )


def missed_targets(levels: list[Level]) -> list[str]:
    """The targets of issue 21, in words, for each one missed."""
    missed = []
    for level in levels:
        if level.users == NO_FAILURE_USERS and level.failures:
            missed.append(f"{level.failures} failures at {level.users} users (target 0)")
        if level.users != TARGET_USERS:
            continue
        for name, r in level.rows.items():
            if name == STATIC:
                continue
            limit = SAVE_P95_MS if name == SAVE else PAGE_P95_MS
            if not r.p95 < limit:
                missed.append(
                    f"{name} p95 {_fmt(r.p95)} ms at {level.users} users (target < {limit:.0f} ms)"
                )
    return missed
