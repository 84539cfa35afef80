"""Minutes of a meeting: the recap sentences, attendees and action items.

Pure: plain rows in, a dict (the frozen minutes, stored as JSON when the meeting closes), text
and CSV rows out. Every value a sentence needs was copied into the decision when it was
recorded (Decision.details), so later changes to a plan never rewrite the minutes.

Example sentence: "Maria G. will receive Read Naturally (Tier 2) from Ms. Lee, 4x30 min a week,
starting 12 Jan; next review 23 Feb."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

DOMAIN_WORDS = {"reading": "reading", "math": "math", "behavior": "behavior", "sel": "SEL"}


@dataclass(frozen=True)
class DecisionRow:
    student: str  # "Maria G."
    type: str
    domain: str = ""
    tier: int | None = None
    intervention: str = ""
    interventionist: str = ""
    sessions_per_week: int | None = None
    minutes_per_session: int | None = None
    start_date: dt.date | None = None
    review_date: dt.date | None = None
    rationale: str = ""
    is_override: bool = False
    recommendation: str = ""
    flags: Sequence[str] = ()  # "Screening risk (reading)"
    judged: str = ""  # what it was judged against, in words (Decision.judgement_words)


@dataclass(frozen=True)
class ActionRow:
    owner: str
    description: str
    due_date: dt.date
    student: str = ""
    status: str = "open"


@dataclass(frozen=True)
class MinutesInput:
    title: str
    school: str
    scheduled_at: dt.datetime
    facilitator: str = ""
    note_taker: str = ""
    timekeeper: str = ""
    attendees: Sequence[str] = ()
    decisions: Sequence[DecisionRow] = ()
    action_items: Sequence[ActionRow] = ()
    notes: str = ""
    item_notes: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (label, notes)


def short_date(day: dt.date) -> str:
    """'12 Jan' (no leading zero)."""
    return f"{day.day} {day:%b}"


def _dosage(row: DecisionRow) -> str:
    if row.sessions_per_week and row.minutes_per_session:
        return f"{row.sessions_per_week}x{row.minutes_per_session} min a week"
    return ""


def _review(row: DecisionRow) -> str:
    return f"; next review {short_date(row.review_date)}" if row.review_date else ""


def _domain(row: DecisionRow) -> str:
    return DOMAIN_WORDS.get(row.domain, row.domain)


def decision_sentence(row: DecisionRow) -> str:
    """One decision in words, as the minutes show it."""
    who = row.student
    dosage = _dosage(row)
    if row.type in ("place_tier2", "place_tier3"):
        tier = row.tier or (2 if row.type == "place_tier2" else 3)
        parts = [f"{who} will receive {row.intervention or 'an intervention'} (Tier {tier})"]
        if row.interventionist:
            parts.append(f" from {row.interventionist}")
        if dosage:
            parts.append(f", {dosage}")
        if row.start_date:
            parts.append(f", starting {short_date(row.start_date)}")
        text = "".join(parts) + _review(row)
    elif row.type == "continue":
        plan = f" {row.intervention}" if row.intervention else " the plan"
        tier = f" (Tier {row.tier})" if row.tier else ""
        text = f"{who} will continue{plan}{tier}" + _review(row)
    elif row.type == "modify_plan":
        what = f" in {row.intervention}" if row.intervention else ""
        start = f" from {short_date(row.start_date)}" if row.start_date else ""
        text = f"{who}'s plan changes: a new phase{what}{start}" + _review(row)
    elif row.type == "intensify":
        bits = [b for b in (f"Tier {row.tier}" if row.tier else "", dosage) if b]
        now = f", now {', '.join(bits)}" if bits else ""
        text = f"{who}'s support is intensified ({row.intervention or 'the plan'}{now})"
        text += _review(row)
    elif row.type == "fade":
        bits = [b for b in (f"Tier {row.tier}" if row.tier else "", dosage) if b]
        now = f", now {', '.join(bits)}" if bits else ""
        text = f"{who}'s support fades ({row.intervention or 'the plan'}{now})" + _review(row)
    elif row.type == "exit":
        what = f" {row.intervention}" if row.intervention else " the intervention"
        back = f" and returns to Tier 1 in {_domain(row)}" if row.domain else ""
        text = f"{who} exits{what}{back}"
    elif row.type == "refer_evaluation":
        text = f"{who} is referred for a special-education evaluation"
    elif row.type == "refer_504":
        text = f"{who} is referred for a Section 504 evaluation"
    elif row.type == "monitor":
        area = f" in {_domain(row)}" if row.domain else ""
        text = f"{who} will be monitored{area} without a new plan" + _review(row)
    elif row.type == "dismiss_flag":
        what = f" ({', '.join(row.flags)})" if row.flags else ""
        text = f"The team dismissed the flag for {who}{what}"
    else:
        text = f"{who}: {row.type}"
    if not text.endswith("."):  # "... for Maria G." already ends the sentence
        text += "."
    if row.is_override:
        rec = f" ({row.recommendation})" if row.recommendation else ""
        text += f" Against the rules' recommendation{rec}: {row.rationale}"
    elif row.rationale:
        text += f" Why: {row.rationale}"
    return text


def build_minutes(data: MinutesInput) -> dict[str, Any]:
    """The minutes as a JSON-ready dict (what closing the meeting stores)."""
    return {
        "title": data.title,
        "school": data.school,
        "scheduled_at": data.scheduled_at.isoformat(),
        "date": f"{data.scheduled_at.day} {data.scheduled_at:%B %Y}",
        "facilitator": data.facilitator,
        "note_taker": data.note_taker,
        "timekeeper": data.timekeeper,
        "attendees": list(data.attendees),
        "decisions": [
            {
                "student": d.student,
                "type": d.type,
                "sentence": decision_sentence(d),
                "rationale": d.rationale,
                "against_rule": d.is_override,
                "recommendation": d.recommendation,
                "judged": d.judged,
            }
            for d in data.decisions
        ],
        "action_items": [
            {
                "owner": a.owner,
                "description": a.description,
                "due_date": a.due_date.isoformat(),
                "due": short_date(a.due_date),
                "student": a.student,
                "status": a.status,
            }
            for a in data.action_items
        ],
        "notes": data.notes,
        "item_notes": [{"item": label, "notes": text} for label, text in data.item_notes if text],
        "overrides": sum(1 for d in data.decisions if d.is_override),
    }


def minutes_text(minutes: dict[str, Any]) -> str:
    """Plain text of the minutes (stored beside the JSON; e-mail friendly)."""
    lines = [f"{minutes['title']} - {minutes['school']}", minutes["date"], ""]
    roles = [
        (label, minutes.get(key))
        for label, key in (
            ("Facilitator", "facilitator"),
            ("Note-taker", "note_taker"),
            ("Timekeeper", "timekeeper"),
        )
        if minutes.get(key)
    ]
    lines += [f"{label}: {name}" for label, name in roles]
    lines.append("Attendees: " + (", ".join(minutes["attendees"]) or "none recorded"))
    lines += ["", "Decisions"]
    lines += [f"- {d['sentence']}" for d in minutes["decisions"]] or ["- No decisions recorded."]
    lines += ["", "Action items"]
    lines += [
        f"- {a['description']}"
        + (f" ({a['student']})" if a["student"] else "")
        + f" - {a['owner']}, due {a['due']}"
        for a in minutes["action_items"]
    ] or ["- No action items."]
    if minutes.get("notes"):
        lines += ["", "Notes", minutes["notes"]]
    for n in minutes.get("item_notes", []):
        lines += ["", f"Notes on {n['item']}", n["notes"]]
    return "\n".join(lines) + "\n"


CSV_HEADER = ("section", "student", "text", "owner", "due_date", "rationale", "against_rule")


def minutes_csv_rows(minutes: dict[str, Any]) -> Iterable[tuple[str, ...]]:
    """Rows of the minutes' CSV export (header first)."""
    yield CSV_HEADER
    for name in minutes["attendees"]:
        yield ("attendee", "", name, "", "", "", "")
    for d in minutes["decisions"]:
        yield (
            "decision",
            d["student"],
            d["sentence"],
            "",
            "",
            d["rationale"],
            "yes" if d["against_rule"] else "no",
        )
    for a in minutes["action_items"]:
        yield ("action_item", a["student"], a["description"], a["owner"], a["due_date"], "", "")
