"""The simulated users of the load benchmark (benchmarks/http_load.py runs locust on this
file; it is not run by itself).

Each user is one signed-in account of its role (benchkit.load_accounts; the session was
opened through the sign-in page before the run, as a person signs in once in the morning).
Think times are a person's: a teacher typing scores from a paper sheet saves a box every
2-5 seconds; the others read a page for 5-15 seconds before the next one.

Each user picks its next action at random by the actions' weights; with BENCH_IN_TURN=1
(the single-user level) it takes them in turn instead, so that one user alone opens every
page of its role.

Environment: BENCH_ACCOUNTS (the JSON file of accounts and their session cookies),
BENCH_IN_TURN.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from collections import defaultdict

from locust import HttpUser, between, task

_ACCOUNTS: dict[str, list[dict]] = defaultdict(list)
for _account in json.loads(open(os.environ["BENCH_ACCOUNTS"]).read()):  # noqa: SIM115
    _ACCOUNTS[_account["role"]].append(_account)
_NEXT = {role: itertools.cycle(accounts) for role, accounts in _ACCOUNTS.items()}

VERSION = re.compile(r'id="version-(\d+)" name="version-\d+" value="(\d+)"')
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"')
NOT_SAVED = "Not saved"
IN_TURN = os.environ.get("BENCH_IN_TURN") == "1"


class _Staff(HttpUser):
    abstract = True
    role = ""
    wait_time = between(5, 15)
    # (method name, weight): what the user does, and how often relative to the rest.
    actions: tuple[tuple[str, int], ...] = ()

    @task
    def act(self) -> None:
        if IN_TURN:
            name = next(self.turns)
        else:
            names, weights = zip(*self.actions, strict=True)
            name = random.choices(names, weights)[0]
        getattr(self, name)()

    def on_start(self) -> None:
        self.account = next(_NEXT[self.role])
        cookies = self.account["cookies"]
        # Session and CSRF cookies are Secure with DEBUG=0: a browser still sends them to
        # localhost over plain HTTP, Python's cookie jar does not, so they go as a header.
        self.client.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.client.headers["X-CSRFToken"] = cookies["csrftoken"]
        self.static_loaded = False
        self.turns = itertools.cycle([name for name, _ in self.actions])

    def page(self, name: str, url: str | None = None) -> str:
        with self.client.get(
            url or self.account["pages"][name], name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif "/login/" in response.url:
                response.failure("signed out")
            text = response.text
        if not self.static_loaded:
            # The first page also loads its style sheets and scripts (WhiteNoise); the
            # browser keeps them afterwards (hashed names, cached for a year).
            for path in sorted(set(STATIC.findall(text))):
                self.client.get(path, name="static file")
            self.static_loaded = True
        return text


class TeacherUser(_Staff):
    """Opens the class's grid, then saves one box after another."""

    role = "teacher"
    weight = 60
    wait_time = between(2, 5)
    actions = (("save_score", 8), ("home", 1), ("class_grid", 1))

    def on_start(self) -> None:
        super().on_start()
        self.versions: dict[str, str] = {}
        self.cells = list(self.account["cells"])
        random.shuffle(self.cells)
        self.next_cell = itertools.cycle(self.cells)
        self.grid()

    def grid(self) -> None:
        self.versions.update(VERSION.findall(self.page("class grid")))

    def home(self) -> None:
        self.page("home")

    def class_grid(self) -> None:
        self.grid()

    def save_score(self) -> None:
        cell = next(self.next_cell)
        sid = str(cell["student"])
        value = random.randint(int(cell["low"]) + 1, max(int(cell["low"]) + 1, int(cell["high"])))
        data = {f"score-{sid}": str(value), f"version-{sid}": self.versions.get(sid, "0")}
        with self.client.post(
            cell["url"],
            data=data,
            name="score save",
            headers={"HX-Request": "true"},
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif NOT_SAVED in response.text:
                response.failure("not saved: " + response.text[:200])
            self.versions.update(VERSION.findall(response.text))


class InterventionistUser(_Staff):
    role = "interventionist"
    weight = 15
    actions = (("caseload", 1), ("progress_grid", 1))

    def caseload(self) -> None:
        self.page("caseload")

    def progress_grid(self) -> None:
        self.page("progress grid")


class TeamUser(_Staff):
    """A school team member: the flag list, students' profiles, the meeting's cards."""

    role = "team"
    weight = 15
    actions = (("student_profile", 2), ("meeting_card", 2), ("flag_list", 1))

    def flag_list(self) -> None:
        self.page("flag list")

    def student_profile(self) -> None:
        self.page("student profile", f"/students/{random.choice(self.account['students'])}/")

    def meeting_card(self) -> None:
        cards = [k for k in self.account["pages"] if k.startswith("meeting card")]
        self.page("meeting card", self.account["pages"][random.choice(cards)])


class AdminUser(_Staff):
    """A district administrator going through the dashboards."""

    role = "admin"
    weight = 10
    actions = (("tiers", 1), ("core", 1), ("equity", 1))

    def tiers(self) -> None:
        self.page("dashboard tiers")

    def core(self) -> None:
        self.page("dashboard core")

    def equity(self) -> None:
        self.page("dashboard equity")
