"""What screening announces to the apps above it (students/outbox.py).

Each event is recorded in the transaction of the change and delivered after commit (or by
the periodic dispatch once the broker is back); screening never knows who listens. The
decisions app subscribes to all three and schedules its sweeps (decisions/events.py).

| event | payload | recorded by |
| --- | --- | --- |
| `screening.scores_saved` | `school_ids`, `district_ids`, `scores` (how many changed) | every score save, entry or import chunk |
| `screening.window_closed` | `window_id`, `district_id` | `window_close` |
| `screening.cut_scores_activated` | `cut_score_set_id`, `district_id`, `window_id` | `cut_score_set_activate` and an active revision |
| `screening.referral_recorded` | `referral_id`, `student_id`, `school_id`, `district_id` | `referral_create` |
"""

from __future__ import annotations

from collections.abc import Iterable

from students.outbox import event_record

SCORES_SAVED = "screening.scores_saved"
WINDOW_CLOSED = "screening.window_closed"
REFERRAL_RECORDED = "screening.referral_recorded"
CUT_SCORES_ACTIVATED = "screening.cut_scores_activated"


def scores_saved(*, school_ids: Iterable[int], district_ids: Iterable[int], scores: int) -> None:
    if scores:
        event_record(
            SCORES_SAVED,
            {
                "school_ids": sorted(set(school_ids)),
                "district_ids": sorted(set(district_ids)),
                "scores": scores,
            },
        )


def window_closed(*, window_id: int, district_id: int) -> None:
    event_record(WINDOW_CLOSED, {"window_id": window_id, "district_id": district_id})


def referral_recorded(
    *, referral_id: int, student_id: int, school_id: int, district_id: int
) -> None:
    event_record(
        REFERRAL_RECORDED,
        {
            "referral_id": referral_id,
            "student_id": student_id,
            "school_id": school_id,
            "district_id": district_id,
        },
    )


def cut_scores_activated(*, cut_score_set_id: int, district_id: int, window_id: int | None) -> None:
    event_record(
        CUT_SCORES_ACTIVATED,
        {"cut_score_set_id": cut_score_set_id, "district_id": district_id, "window_id": window_id},
    )
