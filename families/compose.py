"""The words of family letters and progress reports, in the family's language.

`compose_letter(kind, facts, language)` and `compose_progress_report(facts, language)` return
(subject, body): plain paragraphs separated by a blank line, which staff may edit before the
letter is sent. Every sentence goes through Django's translation machinery (the catalogs in
locale/), dates and numbers are formatted in the family's locale. No database: the facts are
plain values gathered by families.facts.

Plain words on purpose: no tier numbers, rule names or measure codes reach a family (a Tier 2
plan is "extra help in a small group"); the program's name is given in quotes as a name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from families.models import LetterKind


@dataclass(frozen=True)
class LetterFacts:
    student_name: str  # the name the student goes by, e.g. "Maria"
    recipients: list[str]  # the family contacts the letter is addressed to
    school_name: str
    domain: str  # reading | math | behavior | sel | ""
    tier: int | None = None
    intervention: str = ""
    interventionist: str = ""
    sessions_per_week: int | None = None
    minutes_per_session: int | None = None
    planned_weeks: int | None = None
    start_date: dt.date | None = None
    review_date: dt.date | None = None
    student_goal: str = ""
    contact_name: str = ""
    contact_email: str = ""
    fading: bool = False  # a change that gives less support


@dataclass(frozen=True)
class ProgressFacts:
    letter: LetterFacts
    recommendation: str  # interventions.analysis.facts.Recommendation value, or ""
    latest_score: float | None = None
    latest_date: dt.date | None = None
    goal: float | None = None
    goal_date: dt.date | None = None
    points: int = 0
    sessions_attended: int = 0
    extra: dict = field(default_factory=dict)


def _domain_words(domain: str) -> str:
    return {
        "reading": pgettext("school subject", "reading"),
        "math": pgettext("school subject", "math"),
        "behavior": pgettext("school subject", "behavior at school"),
        "sel": pgettext("school subject", "social and emotional skills"),
    }.get(domain, pgettext("school subject", "schoolwork"))


def day(value: dt.date) -> str:
    """A date as a family reads it: "September 15, 2026" / "15 de septiembre de 2026"."""
    return formats.date_format(value, pgettext("letter date format", "F j, Y"))


def number(value: float) -> str:
    """A score in the locale's way (decimal comma in Spanish), without needless decimals."""
    places = 0 if float(value).is_integer() else 1
    return formats.number_format(round(value, places), decimal_pos=places)


def _greeting(facts: LetterFacts) -> str:
    if facts.recipients:
        return _("Dear %(names)s,") % {"names": _(" and ").join(facts.recipients)}
    return _("Dear family of %(name)s,") % {"name": facts.student_name}


def _group_words(tier: int | None) -> str:
    if tier == 3:
        return _("individually or in a very small group")
    return _("in a small group")


def _support(facts: LetterFacts) -> str:
    name = facts.student_name
    parts = [
        _("%(name)s will work %(how)s on %(subject)s with %(who)s.")
        % {
            "name": name,
            "how": _group_words(facts.tier),
            "subject": _domain_words(facts.domain),
            "who": facts.interventionist or _("a teacher of the school"),
        }
    ]
    if facts.intervention:
        parts.append(_("The program is called “%(program)s”.") % {"program": facts.intervention})
    if facts.sessions_per_week and facts.minutes_per_session:
        parts.append(
            ngettext(
                "The sessions take place %(count)d time a week, %(minutes)d minutes each time.",
                "The sessions take place %(count)d times a week, %(minutes)d minutes each time.",
                facts.sessions_per_week,
            )
            % {"count": facts.sessions_per_week, "minutes": facts.minutes_per_session}
        )
    if facts.planned_weeks:
        parts.append(
            ngettext(
                "We plan this support for about %(weeks)d week.",
                "We plan this support for about %(weeks)d weeks.",
                facts.planned_weeks,
            )
            % {"weeks": facts.planned_weeks}
        )
    if facts.start_date:
        parts.append(_("It starts on %(date)s.") % {"date": day(facts.start_date)})
    return " ".join(parts)


def _checking(facts: LetterFacts) -> str:
    how_often = _("every week") if facts.tier == 3 else _("every one or two weeks")
    return _(
        "To see whether the help is working, %(name)s will do a short %(subject)s check "
        "%(often)s. We will share the results with you."
    ) % {"name": facts.student_name, "subject": _domain_words(facts.domain), "often": how_often}


def _review(facts: LetterFacts) -> str:
    if facts.review_date is None:
        return ""
    return _("The school team will look at %(name)s's progress again around %(date)s.") % {
        "name": facts.student_name,
        "date": day(facts.review_date),
    }


def _goal(facts: LetterFacts) -> str:
    if not facts.student_goal:
        return ""
    return _("In %(name)s's own words, the goal is: “%(goal)s”") % {
        "name": facts.student_name,
        "goal": facts.student_goal.strip(),
    }


def _contact(facts: LetterFacts) -> str:
    who = facts.contact_name or _("your child's teacher")
    if facts.contact_email:
        text = _(
            "If you have questions or ideas, please contact %(who)s at %(school)s "
            "(%(email)s). You know your child best, and we welcome your help."
        )
    else:
        text = _(
            "If you have questions or ideas, please contact %(who)s at %(school)s. "
            "You know your child best, and we welcome your help."
        )
    return text % {"who": who, "school": facts.school_name, "email": facts.contact_email}


def _closing(facts: LetterFacts) -> str:
    return _("Sincerely,") + "\n" + (facts.contact_name or facts.school_name)


def _noticed(kind: str, facts: LetterFacts) -> str:
    values = {"name": facts.student_name, "subject": _domain_words(facts.domain)}
    if kind == LetterKind.PLAN_START:
        return (
            _(
                "Our school checks every student's progress several times a year. The latest "
                "checks show that %(name)s would benefit from extra help with %(subject)s."
            )
            % values
        )
    if kind == LetterKind.PLAN_INTENSIFY:
        return (
            _(
                "%(name)s has been working hard, but progress in %(subject)s has been slower "
                "than we hoped. The school team has decided to give %(name)s more help."
            )
            % values
        )
    if kind == LetterKind.PLAN_CHANGE and facts.fading:
        return (
            _(
                "%(name)s has made good progress in %(subject)s, so %(name)s now needs less "
                "extra help."
            )
            % values
        )
    if kind == LetterKind.PLAN_CHANGE:
        return (
            _(
                "To help %(name)s keep making progress in %(subject)s, the school team has "
                "changed the extra help."
            )
            % values
        )
    return (
        _(
            "Good news: %(name)s has made strong progress in %(subject)s and no longer needs "
            "the extra help."
        )
        % values
    )


def _subject(kind: str, facts: LetterFacts) -> str:
    values = {"name": facts.student_name}
    return {
        LetterKind.PLAN_START: _("Extra help for %(name)s at school"),
        LetterKind.PLAN_CHANGE: _("A change in %(name)s's extra help at school"),
        LetterKind.PLAN_INTENSIFY: _("More help for %(name)s at school"),
        LetterKind.PLAN_END: _("%(name)s has finished the extra help"),
        LetterKind.PROGRESS_REPORT: _("How %(name)s is doing with the extra help"),
    }[kind] % values


def compose_letter(kind: str, facts: LetterFacts, language: str) -> tuple[str, str]:
    """(subject, body) of a letter about a decision, in `language`."""
    with translation.override(language):
        paragraphs = [_greeting(facts), _noticed(kind, facts)]
        if kind == LetterKind.PLAN_END:
            if facts.start_date:
                paragraphs.append(
                    _(
                        "The extra help ended on %(date)s. %(name)s will keep learning with the class."
                    )
                    % {"date": day(facts.start_date), "name": facts.student_name}
                )
            paragraphs.append(
                _("Teachers will keep checking %(name)s's progress with the whole class.")
                % {"name": facts.student_name}
            )
        else:
            paragraphs += [_support(facts), _checking(facts), _review(facts), _goal(facts)]
        paragraphs += [_contact(facts), _closing(facts)]
        return _subject(kind, facts), "\n\n".join(p for p in paragraphs if p)


def _how_it_goes(facts: ProgressFacts) -> str:
    name = facts.letter.student_name
    values = {"name": name}
    return {
        "insufficient_data": _(
            "%(name)s has only just started, so there are not enough checks yet to say how "
            "the help is working. We will know more in a few weeks."
        ),
        "continue": _(
            "%(name)s is making progress at about the pace we planned. The team recommends "
            "keeping the same help."
        ),
        "raise_goal": _(
            "%(name)s is making progress faster than planned. The team will set a higher goal."
        ),
        "change_intervention": _(
            "%(name)s's progress has been slower than planned. The team will look at "
            "changing the help so that it works better."
        ),
        "improve_fidelity": _(
            "%(name)s has not yet had all the sessions we planned. Before changing anything, "
            "we will make sure the sessions take place as planned."
        ),
        "exit": _(
            "%(name)s has reached the goal. The team will talk about reducing or ending the "
            "extra help."
        ),
    }.get(
        facts.recommendation,
        _("The team will look at %(name)s's progress at its next meeting."),
    ) % values


def compose_progress_report(facts: ProgressFacts, language: str) -> tuple[str, str]:
    """(subject, body) of a progress report, in `language`; the graph is added beside it."""
    letter = facts.letter
    with translation.override(language):
        paragraphs = [
            _greeting(letter),
            _(
                "Here is an update on the extra help %(name)s receives in %(subject)s. The "
                "graph shows each short check: the dots are %(name)s's scores and the line is "
                "the goal."
            )
            % {"name": letter.student_name, "subject": _domain_words(letter.domain)},
        ]
        if facts.latest_score is not None and facts.latest_date is not None:
            text = _("On %(date)s, %(name)s's score was %(score)s.") % {
                "date": day(facts.latest_date),
                "name": letter.student_name,
                "score": number(facts.latest_score),
            }
            if facts.goal is not None and facts.goal_date is not None:
                text += " " + _("The goal is %(goal)s by %(date)s.") % {
                    "goal": number(facts.goal),
                    "date": day(facts.goal_date),
                }
            paragraphs.append(text)
        if facts.sessions_attended:
            paragraphs.append(
                ngettext(
                    "%(name)s has attended %(count)d session so far.",
                    "%(name)s has attended %(count)d sessions so far.",
                    facts.sessions_attended,
                )
                % {"name": letter.student_name, "count": facts.sessions_attended}
            )
        paragraphs += [_how_it_goes(facts), _review(letter), _goal(letter)]
        paragraphs += [_contact(letter), _closing(letter)]
        return _subject(LetterKind.PROGRESS_REPORT, letter), "\n\n".join(p for p in paragraphs if p)


def chart_labels(language: str) -> dict[str, str]:
    """The words on the progress graph, in `language`."""
    with translation.override(language):
        return {"scores": _("Scores"), "goal": _("Goal"), "title": _("Progress checks")}
