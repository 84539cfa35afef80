"""Idempotency keys: a decision sent twice is recorded once (docs/decisions.md, "Double
submits").

Every decision form carries a hidden token (`IdempotencyField`, a fresh random key each time
the form is drawn) and API clients may send an `Idempotency-Key` header. The service that
records the decision claims the key first, in its own transaction:

    prior = idempotency_claim(key=key, scope="meeting_decision", actor=actor)
    if prior is not None:
        return replayed(Decision.objects.get(pk=prior))
    ... record the decision ...
    idempotency_settle(key=key, scope="meeting_decision", result_id=decision.pk)

The claim is an INSERT ... ON CONFLICT DO NOTHING on a unique (scope, key) index. When two
requests with the same key race, PostgreSQL makes the second INSERT wait until the first
transaction ends: if it committed, the second finds the key taken and answers with the first
one's result, doing nothing; if it rolled back (a refused decision), the second goes ahead.
So a refused first try never blocks a corrected second one with the same token.

An empty key asks for no protection (older API clients). A key is bound to the person who
first sent it: someone else sending the same key is refused, never shown another's result.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter

from mtss.errors import ApplicationError
from students.models import IdempotencyKey, User

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
MAX_LENGTH = 255
KEY_TAKEN = _("This request key was already used by someone else; send a new one.")
STILL_RECORDING = _("This was already sent and is still being recorded; reload the page.")
BAD_KEY = _("Send a key of 1 to 255 visible characters (a random UUID, for example).")

T = TypeVar("T")


def new_key() -> str:
    return uuid.uuid4().hex


def clean_key(value: str | None) -> str:
    """The key as sent ('' when none), or ValidationError for one we cannot keep."""
    value = (value or "").strip()
    if len(value) > MAX_LENGTH or any(not (" " < ch <= "~") for ch in value):
        raise ValidationError({FIELD: [BAD_KEY]})
    return value


def key_from_header(request: HttpRequest) -> str:
    """The API's `Idempotency-Key` header, checked ('' when absent)."""
    return clean_key(request.headers.get(HEADER))


class IdempotencyField(forms.CharField):
    """The hidden token of a decision form: a fresh key each time the form is drawn, sent
    back unchanged when the form is re-shown with errors."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("initial", new_key)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        try:
            return clean_key(super().clean(value))
        except ValidationError as exc:
            raise ValidationError(BAD_KEY) from exc


def idempotency_claim(*, key: str, scope: str, actor: User | None) -> int | None:
    """Claim `key` for `scope` inside the caller's transaction.

    None: go ahead (no key, or this request is the first with it; call `idempotency_settle`
    once the result exists). An id: what the first request with this key recorded.
    """
    if not key:
        return None
    actor_id = actor.pk if actor is not None else None
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, key, actor_id, created_at) "  # noqa: S608 (our table)
            "VALUES (%s, %s, %s, %s) ON CONFLICT (scope, key) DO NOTHING RETURNING id",
            [scope, key, actor_id, timezone.now()],
        )
        if cursor.fetchone() is not None:
            return None
    prior = IdempotencyKey.objects.filter(scope=scope, key=key).values("actor_id", "result_id")
    row = prior.first()
    if row is None:  # forgotten meanwhile (see idempotency_keys_forget): claim it again
        return idempotency_claim(key=key, scope=scope, actor=actor)
    if row["actor_id"] != actor_id:
        raise ApplicationError(KEY_TAKEN)
    if row["result_id"] is None:
        raise ApplicationError(STILL_RECORDING)
    return row["result_id"]


def idempotency_settle(*, key: str, scope: str, result_id: int) -> None:
    """Remember what the request that claimed `key` recorded (same transaction)."""
    if key:
        IdempotencyKey.objects.filter(scope=scope, key=key).update(result_id=result_id)


def replayed(obj: T) -> T:
    """Mark a result as the answer to a repeated request (pages say "already recorded")."""
    obj.replayed = True  # type: ignore[attr-defined]
    return obj


def was_replayed(obj: Any) -> bool:
    return bool(getattr(obj, "replayed", False))


def idempotency_keys_forget(*, days: int = 7) -> int:
    """Forget keys older than `days` (nightly): a form is not sent again a week later."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# -- the API's side ------------------------------------------------------------------------

REPLAYED_HEADER = "Idempotent-Replayed"
HEADER_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A random key (a UUID) chosen by the client for this decision. Sending the same "
        "request again with the same key records nothing new and answers with the first "
        f"result, marked by the `{REPLAYED_HEADER}: true` response header."
    ),
)


def replay_headers(obj: Any) -> dict[str, str]:
    """Response headers saying the answer repeats an earlier request's result."""
    return {REPLAYED_HEADER: "true"} if was_replayed(obj) else {}
