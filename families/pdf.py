"""PDFs of letters, progress reports and referral records, made on the server.

Why ReportLab: it is a long-kept library (since 2000, regular releases) that installs from
PyPI alone, pure Python with Pillow as its only binary dependency, so `pip install -e .` on a
fresh machine is enough. WeasyPrint would render our HTML templates, but it needs the
system's Pango and GLib libraries, which a fresh machine (or the slim Docker image) does not
have; xhtml2pdf pulls in a chain of extra packages for little gain. The letter pages also
have a print stylesheet, so "Print" in the browser gives a clean page as well.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, translation
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from families import chart
from families.models import EvaluationReferral, FamilyLetter


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontSize=11, leading=15, spaceAfter=8)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontSize=16, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=13, spaceAfter=6),
    }


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    return [
        Paragraph(escape(p).replace("\n", "<br/>"), style) for p in text.split("\n\n") if p.strip()
    ]


def _build(story: list[Any], *, title: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        title=title,
        leftMargin=inch,
        rightMargin=inch,
        topMargin=0.9 * inch,
        bottomMargin=0.9 * inch,
    )
    doc.build(story)
    return out.getvalue()


def letter_pdf(letter: FamilyLetter) -> bytes:
    s = _styles()
    with translation.override(letter.language):
        when = formats.date_format(letter.sent_at or letter.created_at, "DATE_FORMAT")
    story: list[Any] = [
        Paragraph(escape(letter.school.name), s["h2"]),
        Paragraph(escape(when), s["small"]),
        Spacer(1, 12),
        Paragraph(escape(letter.subject), s["h1"]),
    ]
    paragraphs = _paragraphs(letter.body, s["body"])
    if letter.chart_data:
        # The graph after the opening paragraphs, as on the page.
        story += paragraphs[:2] + [chart.drawing(letter.chart_data), Spacer(1, 8)]
        story += paragraphs[2:]
    else:
        story += paragraphs
    return _build(story, title=letter.subject)


def _table(rows: list[list[str]], s: dict[str, ParagraphStyle]) -> Table:
    cells = [[Paragraph(escape(str(c)), s["small"]) for c in row] for row in rows]
    table = Table(cells, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, "#888888"),
                ("BACKGROUND", (0, 0), (-1, 0), "#e8eef7"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def referral_pdf(referral: EvaluationReferral, doc: dict[str, Any]) -> bytes:
    """The referral record and its documentation (frozen once signed off)."""
    s = _styles()
    r, st = doc["referral"], doc["student"]
    story: list[Any] = [
        Paragraph(escape(f"{r['kind']}: {st['name']}"), s["h1"]),
        Paragraph(
            escape(
                f"Student ID {st['student_id']} · Grade {st['grade']} · {st['school']} · "
                f"assembled {doc['assembled_on']}"
                + (" · signed off" if referral.is_frozen else " · draft (not signed off)")
            ),
            s["small"],
        ),
        Paragraph("Referral and consent", s["h2"]),
        _table(
            [
                ["Referred", "Consent requested", "Consent given", "Consent refused", "Timeline"],
                [
                    r["referred_on"] or "-",
                    r["consent_requested_on"] or "-",
                    r["consent_given_on"] or "-",
                    r["consent_refused_on"] or "-",
                    f"{r['timeline_days']} days from consent",
                ],
            ],
            s,
        ),
        Paragraph(f"Outcome: {escape(r['outcome'])} {escape(r['outcome_on'] or '')}", s["body"]),
        Paragraph("Interventions, dosage and fidelity", s["h2"]),
    ]
    rows = [["Intervention", "Dates", "Planned", "Delivered", "Fidelity", "Progress"]]
    for p in doc["interventions"]:
        plan, done, fid, prog = (
            p["dosage_planned"],
            p["dosage_delivered"],
            p["fidelity"],
            p["progress"],
        )
        share = fid["sessions_delivered_share"]
        rows.append(
            [
                f"{p['intervention']} (tier {p['tier']}, {p['domain']}; {p['interventionist']})",
                f"{p['start_date']} to {p['end_date'] or 'now'}",
                f"{plan['sessions_per_week']}x{plan['minutes_per_session']} min a week, "
                f"{plan['weeks'] or '?'} weeks",
                f"{done['sessions_attended']} sessions, {done['minutes']} min",
                (f"{share * 100:.0f}% of sessions" if share is not None else "-")
                + (
                    f"; observed {fid['observed_average_percent']}% ({fid['observations']})"
                    if fid["observations"]
                    else ""
                ),
                f"{prog['measure']}: "
                + ", ".join(f"{pt['date']} {pt['score']:g}" for pt in prog["points"])
                + f"; goal {prog['goal']}; cut scores v{prog['cut_score_version_in_force']}; "
                f"rule {prog['rule'] or '-'}",
            ]
        )
    story.append(_table(rows, s))
    story.append(
        Paragraph(f"Decision rules in force: version {doc['rule_set_version_in_force']}", s["h2"])
    )
    flag_rows = [["Date", "Flag", "Rule (rule-set version)", "Scores (cut-score version)"]]
    for f in doc["flags"]:
        flag_rows.append(
            [
                f["date"],
                f"{f['kind']}, {f['domain']}",
                f"{f['rule']} (v{f['rule_set_version']})",
                "; ".join(
                    f"{x['measure']} {x['score']} (benchmark {x['benchmark']}, "
                    f"v{x['cut_score_version']})"
                    for x in f["scores"]
                ),
            ]
        )
    story.append(_table(flag_rows, s))
    story.append(Paragraph("Team decisions", s["h2"]))
    story.append(
        _table(
            [["Date", "Decision", "Why"]]
            + [[d["date"], d["decision"], d["rationale"]] for d in doc["team_decisions"]],
            s,
        )
    )
    story.append(Paragraph("Parents informed", s["h2"]))
    story.append(
        _table(
            [["Date", "What", "How"]]
            + [[p["date"], p["what"], p["how"]] for p in doc["parents_informed"]],
            s,
        )
    )
    return _build(story, title=f"{r['kind']}: {st['name']}")
