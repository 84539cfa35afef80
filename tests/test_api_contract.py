"""Contract fuzzing of /api/ with schemathesis: every operation of the OpenAPI schema, with a
district administrator's token and with a teacher's, against the schema's own promises.

Checks: no server error (5xx), every response body matches the schema, every status code is
one the schema lists. Generation is deterministic (a fixed seed through hypothesis'
`derandomize`) and bounded (examples per operation, and a wall-clock budget for the run).
Each request runs inside a savepoint that is rolled back, so every example sees the same
district (the meetings kit: flags, a meeting, scores).

API_FUZZ_EXAMPLES (default 3) and API_FUZZ_SECONDS (default 300) change the bounds; the run's
figures are printed (pytest -s) as "api contract: ...".
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from students.tokens import token_issue
from tests.meetings.conftest import kit, screening  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "3"))
BUDGET_SECONDS = float(os.environ.get("API_FUZZ_SECONDS", "300"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@dataclass
class Run:
    operations: int = 0
    requests: int = 0
    problems: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    out_of_time: bool = False


def _kind(failure: Exception) -> str:
    name = type(failure).__name__
    if name == "ServerError":
        return "server error"
    if name in ("JsonSchemaError", "MalformedJson", "MissingContentType", "UndefinedContentType"):
        return "schema violation"
    if name == "UndefinedStatusCode":
        return "undocumented status"
    return name


def _fuzz(schema, token: str, run: Run, deadline: float) -> None:
    headers = {"Authorization": f"Token {token}"}
    for result in schema.get_all_operations():
        operation = result.ok()
        run.operations += 1
        if time.monotonic() > deadline:
            run.out_of_time = True
            continue

        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def one(case) -> None:
            if time.monotonic() > deadline:
                run.out_of_time = True
                return
            point = transaction.savepoint()
            try:
                response = case.call(headers=headers)
                run.requests += 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except BaseExceptionGroup as group:  # a FailureGroup of every failed check
                    for failure in getattr(group, "exceptions", [group]):
                        kind = _kind(failure)
                        key = f"{kind}: {case.method} {case.path}"
                        run.problems[kind] += 1
                        run.examples.setdefault(key, f"{response.status_code} {str(failure)[:300]}")
            finally:
                transaction.savepoint_rollback(point)

        one()


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, keeping the test's database connection open between
    requests (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_keeps_the_schemas_promises(kit, wsgi_app):  # noqa: F811
    w = kit.world
    kit.flag(w.student, tier=3)
    kit.at_risk(w.student)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    deadline = time.monotonic() + BUDGET_SECONDS
    runs = {}
    for persona in ("district_admin", "teacher"):
        run = Run()
        _fuzz(schema, token_issue(user=w.persona(persona)), run, deadline)
        runs[persona] = run
    for persona, run in runs.items():
        print(
            f"api contract ({persona}): {run.operations} operations, {run.requests} requests, "
            f"{run.problems['server error']} server errors, "
            f"{run.problems['schema violation']} schema violations, "
            f"{run.problems['undocumented status']} undocumented status codes"
            + (" (time budget reached)" if run.out_of_time else "")
        )
        for key, example in sorted(run.examples.items()):
            print(f"  {key} -> {example}")
    assert all(not run.problems for run in runs.values()), {
        p: dict(r.problems) for p, r in runs.items()
    }
