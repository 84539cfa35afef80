"""A decision sent twice is recorded once (students/idempotency.py): the same form token or
`Idempotency-Key`, sequentially and from two real concurrent database connections."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from meetings import services
from meetings.models import AgendaItem, Decision
from mtss.errors import ApplicationError
from students.idempotency import was_replayed
from students.models import IdempotencyKey
from tests.meetings.conftest import Kit

KEY = "3f1c0c9e5b6a4f0f9d2e7a1b8c4d6e0f"


def prepared(kit: Kit) -> AgendaItem:
    w = kit.world
    kit.flag(w.student, kind="dual_discrepancy", tier=3)
    services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    return AgendaItem.objects.get(meeting=kit.meeting, student=w.student)


def refer(kit: Kit, item: AgendaItem, *, key: str = KEY, actor=None, **extra) -> Decision:
    values = dict(
        meeting=kit.meeting,
        item=item,
        type="refer_evaluation",
        domain="reading",
        actor=actor or kit.world.team_member,
        rationale="Dual discrepancy after two phases.",
        idempotency_key=key,
    )
    values.update(extra)
    return services.meeting_record_decision(**values)


# -- one connection ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_records_a_decision_sent_twice_once_and_answers_with_the_first(kit):
    item = prepared(kit)
    first = refer(kit, item)
    second = refer(kit, item)
    assert Decision.objects.count() == 1
    assert second.pk == first.pk
    assert was_replayed(second) and not was_replayed(first)
    assert IdempotencyKey.objects.get(key=KEY).result_id == first.pk


@pytest.mark.django_db
def test_it_records_two_decisions_sent_with_two_keys(kit):
    item = prepared(kit)
    refer(kit, item, key="a" * 32, type="monitor", rationale="Watch it for a month.")
    refer(kit, item, key="b" * 32, type="monitor", rationale="Watch it for a month.")
    assert Decision.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_first_send_does_not_block_the_corrected_one_with_the_same_token(kit):
    item = prepared(kit)
    with pytest.raises(Exception):  # noqa: B017,PT011 - the decision's own refusal
        refer(kit, item, type="monitor", rationale="")  # against the rule: needs a reason
    assert not IdempotencyKey.objects.exists()  # rolled back with the refused decision
    decision = refer(kit, item, type="monitor", rationale="Core instruction first.")
    assert Decision.objects.get().pk == decision.pk and not was_replayed(decision)


@pytest.mark.django_db
def test_it_refuses_someone_elses_key(kit):
    item = prepared(kit)
    refer(kit, item)
    with pytest.raises(ApplicationError):
        refer(kit, item, actor=kit.world.principal)
    assert Decision.objects.count() == 1


# -- the page and the API -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_decision_form_carries_a_fresh_token_and_a_double_submit_records_one(client, kit):
    item = prepared(kit)
    client.force_login(kit.world.team_member)
    page = client.get(reverse("meetings:run_item", args=[kit.meeting.pk, item.pk]))
    token = page.context["decision_form"]["idempotency_key"].value()
    assert len(token) == 32 and f'value="{token}"' in page.content.decode()
    again = client.get(reverse("meetings:run_item", args=[kit.meeting.pk, item.pk]))
    assert again.context["decision_form"]["idempotency_key"].value() != token

    url = reverse("meetings:item_decide", args=[kit.meeting.pk, item.pk])
    data = {
        "type": "refer_evaluation",
        "domain": "reading",
        "rationale": "Dual discrepancy.",
        "idempotency_key": token,
    }
    first = client.post(url, data, follow=True)
    second = client.post(url, data, follow=True)
    assert Decision.objects.count() == 1
    assert "Decision recorded" in first.content.decode()
    assert "already recorded; it was not recorded twice" in second.content.decode()


@pytest.mark.django_db
def test_the_api_answers_a_repeated_key_with_the_first_decision(kit):
    item = prepared(kit)
    client = APIClient()
    client.force_authenticate(kit.world.team_member)
    body = {
        "meeting": kit.meeting.pk,
        "item": item.pk,
        "type": "refer_evaluation",
        "domain": "reading",
        "rationale": "Dual discrepancy.",
    }
    first = client.post("/api/v1/decisions/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    second = client.post("/api/v1/decisions/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert "Idempotent-Replayed" not in first and second["Idempotent-Replayed"] == "true"
    assert Decision.objects.count() == 1
    bad = client.post("/api/v1/decisions/", body, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert bad.status_code == 400 and "idempotency_key" in bad.json()


# -- two real connections -----------------------------------------------------------------------


def _in_thread(fn, results: list, errors: list) -> threading.Thread:
    def run() -> None:
        try:
            results.append(fn())
        except BaseException as exc:  # noqa: BLE001 - reported by the test's assertions
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("type_", ["refer_evaluation", "monitor"])
def test_two_simultaneous_sends_on_two_connections_record_one_decision(kit, type_):
    """Both threads start together (a barrier) on their own connections."""
    item = prepared(kit)
    barrier = threading.Barrier(2)
    results: list[Decision] = []
    errors: list[BaseException] = []

    def send() -> Decision:
        barrier.wait(10)
        return refer(kit, item, type=type_, rationale="Agreed by the team.")

    threads = [_in_thread(send, results, errors) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert Decision.objects.count() == 1
    assert {d.pk for d in results} == {Decision.objects.get().pk}
    assert sorted(was_replayed(d) for d in results) == [False, True]


@pytest.mark.django_db(transaction=True)
def test_the_second_send_waits_for_the_first_transaction_and_then_answers_with_its_result(kit):
    """Deterministic interleaving: the first send holds its transaction open after recording;
    the second, on another connection, must wait on the key's unique index (seen in
    pg_stat_activity), and answers with the first decision once it commits."""
    item = prepared(kit)
    recorded = threading.Event()
    release = threading.Event()
    results: list[Decision] = []
    errors: list[BaseException] = []

    def first() -> Decision:
        with transaction.atomic():
            decision = refer(kit, item)
            recorded.set()
            assert release.wait(20)
        return decision

    one = _in_thread(first, results, errors)
    one.start()
    assert recorded.wait(20)
    two = _in_thread(lambda: refer(kit, item), results, errors)
    two.start()
    deadline = time.monotonic() + 20
    while not _someone_waits_for_a_lock():
        assert time.monotonic() < deadline, "the second send never waited for the first"
        time.sleep(0.05)
    release.set()
    one.join(30)
    two.join(30)
    assert not errors, errors
    assert Decision.objects.count() == 1
    assert [was_replayed(d) for d in results] == [False, True]
    assert results[0].pk == results[1].pk
