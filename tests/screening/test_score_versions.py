"""Score cells carry a version: a colleague's newer save is refused with both values (the
service, the htmx grid cell, the class save and the API), also when two saves race on two
real database connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.urls import reverse
from rest_framework.test import APIClient

from mtss.errors import EditConflict
from screening.models import ScreeningScore
from screening.services import score_record
from tests.screening.test_views import cell_url, grid_url


def record(world, screening, value, *, version, by=None) -> ScreeningScore:
    return score_record(
        student=world.student,
        measure=screening.orf,
        window=screening.fall,
        value=value,
        entered_by=by or world.teacher,
        version=version,
    )


def stored(world, screening) -> ScreeningScore:
    return ScreeningScore.objects.get(student=world.student, window=screening.fall)


@pytest.mark.django_db
def test_a_save_from_an_older_version_is_refused_with_both_values(world, screening):
    first = record(world, screening, "62", version=0)
    assert first.version == 1
    with pytest.raises(EditConflict) as caught:
        record(world, screening, "58", version=0, by=world.team_member)
    assert (caught.value.saved, caught.value.yours) == ({"score": "62"}, {"score": "58"})
    assert caught.value.version == 1 and stored(world, screening).score == 62
    # The same value is no conflict; the version seen replaces it and moves it on.
    assert record(world, screening, "62", version=0).version == 1
    assert record(world, screening, "58", version=1).version == 2
    # No version (imports, older API clients): no check, as before.
    assert record(world, screening, "60", version=None).score == 60


@pytest.mark.django_db
def test_the_grid_cell_shows_both_values_and_keeps_yours_with_the_new_version(
    client, world, screening
):
    client.force_login(world.teacher)
    grid = client.get(grid_url(world, screening)).content.decode()
    sid = world.student.pk
    assert f'name="version-{sid}" value="0"' in grid
    record(world, screening, "62", version=0, by=world.team_member)  # a colleague, meanwhile

    headers = {"HX-Request": "true"}
    post = {f"score-{sid}": "58", f"version-{sid}": "0"}
    html = client.post(cell_url(world, screening), post, headers=headers).content.decode()
    assert "Saved by your colleague: 62. Yours: 58" in html
    assert 'value="58"' in html and f'name="version-{sid}" value="1"' in html
    assert stored(world, screening).score == 62

    post[f"version-{sid}"] = "1"
    html = client.post(cell_url(world, screening), post, headers=headers).content.decode()
    assert "Saved Maria Garcia: 58" in html and f'name="version-{sid}" value="2"' in html
    assert stored(world, screening).score == 58


@pytest.mark.django_db
def test_the_class_save_keeps_the_good_rows_and_shows_the_conflict(client, world, screening):
    record(world, screening, "62", version=0, by=world.team_member)
    client.force_login(world.teacher)
    sid = world.student.pk
    response = client.post(
        reverse("screening:score_entry_save"),
        {
            "section": world.section.pk,
            "window": screening.fall.pk,
            "measure": screening.orf.pk,
            f"score-{sid}": "58",
            f"version-{sid}": "0",
        },
    )
    assert "Saved by your colleague: 62. Yours: 58" in response.content.decode()
    assert stored(world, screening).score == 62


@pytest.mark.django_db
def test_the_api_answers_a_stale_score_with_409_and_both(world, screening):
    client = APIClient()
    client.force_authenticate(world.teacher)
    body = {
        "student": world.student.pk,
        "measure": screening.orf.pk,
        "window": screening.fall.pk,
        "score": "62",
        "version": 0,
    }
    first = client.post("/api/v1/screening-scores/", body, format="json")
    assert first.status_code == 201 and first.json()["version"] == 1
    stale = client.post("/api/v1/screening-scores/", {**body, "score": "58"}, format="json")
    assert stale.status_code == 409
    answer = stale.json()
    assert answer["saved"] == {"score": "62"} and answer["yours"] == {"score": "58"}
    assert answer["current_version"] == 1 and stored(world, screening).score == 62


@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_from_the_same_empty_box_keep_one_and_refuse_the_other(world, screening):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(value: str, who) -> None:
        try:
            barrier.wait(10)
            record(world, screening, value, version=0, by=who)
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("62", world.teacher)),
        threading.Thread(target=save, args=("58", world.team_member)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["conflict", "saved"]
    assert stored(world, screening).version == 1
