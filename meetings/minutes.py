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

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mtss.lib import wording


def _domain_words() -> dict[str, str]:
    return {
        "reading": pgettext("intervention domain, in a sentence", "reading"),
        "math": pgettext("intervention domain, in a sentence", "math"),
        "behavior": pgettext("intervention domain, in a sentence", "behavior"),
        "sel": pgettext("intervention domain, in a sentence", "SEL"),
    }


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
    return wording.short_day(day, with_year=False)


def _dosage(row: DecisionRow) -> str:
    if row.sessions_per_week and row.minutes_per_session:
        return _("%(sessions)sx%(minutes)s min a week") % {
            "sessions": row.sessions_per_week,
            "minutes": row.minutes_per_session,
        }
    return ""


# The optional parts of a decision's sentence. Each is a whole phrase of the catalog with its
# own leading punctuation, placed by a placeholder of the sentence (a translator may move it).


def _review(row: DecisionRow) -> str:
    if not row.review_date:
        return ""
    return _("; next review %(date)s") % {"date": short_date(row.review_date)}


def _domain(row: DecisionRow) -> str:
    return _domain_words().get(row.domain, row.domain)


def _now(row: DecisionRow, dosage: str) -> str:
    """', now Tier 3, 5x30 min a week' (what an intensified or faded plan becomes)."""
    bits = [b for b in (_("Tier %(tier)s") % {"tier": row.tier} if row.tier else "", dosage) if b]
    return _(", now %(what)s") % {"what": ", ".join(bits)} if bits else ""


def _sentence(row: DecisionRow) -> str:
    """The decision itself, without the final period."""
    values = {"who": row.student, "review": _review(row), "domain": _domain(row)}
    dosage = _dosage(row)
    start = short_date(row.start_date) if row.start_date else ""
    if row.type in ("place_tier2", "place_tier3"):
        return _(
            "%(who)s will receive %(intervention)s (Tier %(tier)s)%(from)s%(dosage)s%(start)s"
            "%(review)s"
        ) % {
            **values,
            "intervention": row.intervention or _("an intervention"),
            "tier": row.tier or (2 if row.type == "place_tier2" else 3),
            "from": _(" from %(name)s") % {"name": row.interventionist}
            if row.interventionist
            else "",
            "dosage": f", {dosage}" if dosage else "",
            "start": _(", starting %(date)s") % {"date": start} if start else "",
        }
    if row.type == "continue":
        tier = _(" (Tier %(tier)s)") % {"tier": row.tier} if row.tier else ""
        if row.intervention:
            return _("%(who)s will continue %(intervention)s%(tier)s%(review)s") % {
                **values,
                "intervention": row.intervention,
                "tier": tier,
            }
        return _("%(who)s will continue the plan%(tier)s%(review)s") % {**values, "tier": tier}
    if row.type == "modify_plan":
        return _("%(who)s's plan changes: a new phase%(what)s%(start)s%(review)s") % {
            **values,
            "what": _(" in %(intervention)s") % {"intervention": row.intervention}
            if row.intervention
            else "",
            "start": _(" from %(date)s") % {"date": start} if start else "",
        }
    if row.type in ("intensify", "fade"):
        changed = {
            **values,
            "plan": row.intervention or _("the plan"),
            "now": _now(row, dosage),
        }
        if row.type == "intensify":
            return _("%(who)s's support is intensified (%(plan)s%(now)s)%(review)s") % changed
        return _("%(who)s's support fades (%(plan)s%(now)s)%(review)s") % changed
    if row.type == "exit":
        what = row.intervention or _("the intervention")
        if row.domain:
            return _("%(who)s exits %(what)s and returns to Tier 1 in %(domain)s") % {
                **values,
                "what": what,
            }
        return _("%(who)s exits %(what)s") % {**values, "what": what}
    if row.type == "refer_evaluation":
        return _("%(who)s is referred for a special-education evaluation") % values
    if row.type == "refer_504":
        return _("%(who)s is referred for a Section 504 evaluation") % values
    if row.type == "monitor":
        if row.domain:
            return _("%(who)s will be monitored in %(domain)s without a new plan%(review)s") % (
                values
            )
        return _("%(who)s will be monitored without a new plan%(review)s") % values
    if row.type == "dismiss_flag":
        if row.flags:
            return _("The team dismissed the flag for %(who)s (%(flags)s)") % {
                **values,
                "flags": ", ".join(row.flags),
            }
        return _("The team dismissed the flag for %(who)s") % values
    return f"{row.student}: {row.type}"


def decision_sentence(row: DecisionRow) -> str:
    """One decision in words, as the minutes show it (written in the active language when the
    meeting closes, and stored so)."""
    text = _sentence(row)
    if not text.endswith("."):  # "... for Maria G." already ends the sentence
        text += "."
    if row.is_override:
        values = {"recommendation": row.recommendation, "rationale": row.rationale}
        if row.recommendation:
            why = _("Against the rules' recommendation (%(recommendation)s): %(rationale)s")
        else:
            why = _("Against the rules' recommendation: %(rationale)s")
        text += " " + why % values
    elif row.rationale:
        text += " " + _("Why: %(rationale)s") % {"rationale": row.rationale}
    return text


def build_minutes(data: MinutesInput) -> dict[str, Any]:
    """The minutes as a JSON-ready dict (what closing the meeting stores)."""
    return {
        "title": data.title,
        "school": data.school,
        "scheduled_at": data.scheduled_at.isoformat(),
        "date": formats.date_format(data.scheduled_at, pgettext("day, month and year", "j F Y")),
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


def _action_line(a: dict[str, Any]) -> str:
    values = {k: a[k] for k in ("description", "student", "owner", "due")}
    if a["student"]:
        return _("- %(description)s (%(student)s) - %(owner)s, due %(due)s") % values
    return _("- %(description)s - %(owner)s, due %(due)s") % values


def minutes_text(minutes: dict[str, Any]) -> str:
    """Plain text of the minutes (stored beside the JSON; e-mail friendly)."""
    lines = [f"{minutes['title']} - {minutes['school']}", minutes["date"], ""]
    roles = {
        "facilitator": _("Facilitator: %(name)s"),
        "note_taker": _("Note-taker: %(name)s"),
        "timekeeper": _("Timekeeper: %(name)s"),
    }
    lines += [text % {"name": minutes[key]} for key, text in roles.items() if minutes.get(key)]
    lines.append(
        _("Attendees: %(names)s") % {"names": ", ".join(minutes["attendees"])}
        if minutes["attendees"]
        else _("Attendees: none recorded")
    )
    lines += ["", _("Decisions")]
    lines += [f"- {d['sentence']}" for d in minutes["decisions"]] or [_("- No decisions recorded.")]
    lines += ["", _("Action items")]
    lines += [_action_line(a) for a in minutes["action_items"]] or [_("- No action items.")]
    if minutes.get("notes"):
        lines += ["", _("Notes"), minutes["notes"]]
    for n in minutes.get("item_notes", []):
        lines += ["", _("Notes on %(item)s") % {"item": n["item"]}, n["notes"]]
    return "\n".join(lines) + "\n"


# Data exchange: the CSV's column names and codes stay English in every language (the
# people-facing words are in the "text" column, written when the meeting closed).
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
