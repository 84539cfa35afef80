"""The sweep's database lane: steps on a second thread, in the caller's transaction."""

from __future__ import annotations

import time

import pytest
from django.db import connection, transaction

from decisions.db_lane import DatabaseLane
from students.models import District

pytestmark = pytest.mark.django_db(transaction=True)


def _names() -> list[str]:
    return list(District.objects.order_by("pk").values_list("name", flat=True))


def test_steps_see_the_callers_uncommitted_rows_and_run_in_order():
    with transaction.atomic():
        District.objects.create(name="Uncommitted District")
        with DatabaseLane() as lane:
            first = lane.submit(_names)
            second = lane.submit(District.objects.create, name="Written by the lane")
            third = lane.submit(_names)
        assert first.result() == ["Uncommitted District"]
        assert second.result().pk is not None
        assert third.result() == ["Uncommitted District", "Written by the lane"]
        transaction.set_rollback(True)
    # Rolled back together: the lane's write was part of the caller's transaction.
    assert _names() == []


def test_a_failing_step_raises_in_the_caller_and_nothing_is_kept():
    with pytest.raises(District.DoesNotExist), transaction.atomic():
        District.objects.create(name="Kept only if all goes well")
        with DatabaseLane() as lane:
            lane.submit(District.objects.get, name="No such district").result()
    assert _names() == []


def _sleep(seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])


def test_an_error_in_the_caller_cancels_the_running_step_instead_of_waiting_for_it():
    started = time.monotonic()
    with (
        pytest.raises(RuntimeError, match="pandas failed"),
        transaction.atomic(),
        DatabaseLane() as lane,
    ):
        lane.submit(_sleep, 60)
        time.sleep(0.3)  # the step is running
        raise RuntimeError("pandas failed")
    assert time.monotonic() - started < 30
    # The connection is usable again for the caller (its error handling writes the run).
    assert District.objects.count() == 0
