"""Letters drafted from the team's decisions, edited, sent, kept as sent; progress reports
with their graph; who may see and write them; the record of access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import formats, translation

from families import letters
from families.models import FamilyLetter, LetterKind
from mtss.errors import ApplicationError
from students.audit import AuditContext
from students.models import AccessLog
from tests.families.conftest import placement
from tests.meetings.conftest import today


def _es(day: dt.date) -> str:
    with translation.override("es"):
        return formats.date_format(day, r"j \d\e F \d\e Y")


def test_placing_in_tier_2_drafts_a_spanish_letter_for_a_spanish_speaking_mother(kit, rosa, decide):
    decision = decide("place_tier2", **placement(kit))
    letter = FamilyLetter.objects.get(decision=decision)
    assert (letter.kind, letter.language, letter.recipients) == (
        LetterKind.PLAN_START,
        "es",
        "Rosa Garcia",
    )
    assert letter.subject == "Apoyo adicional para Maria en la escuela"
    assert letter.body.startswith("A la atención de Rosa Garcia:")
    assert f"Empieza el {_es(today())}." in letter.body
    assert "4 veces por semana, de 30 minutos cada una" in letter.body
    review = dt.date.fromisoformat(decision.details["review_date"])
    assert f"hacia el {_es(review)}" in letter.body
    assert "Tier" not in letter.body
    assert letter.status == FamilyLetter.Status.DRAFT


def test_without_a_contact_the_letter_is_in_english_to_the_family(kit, decide):
    decision = decide("place_tier2", **placement(kit))
    letter = FamilyLetter.objects.get(decision=decision)
    assert letter.language == "en"
    assert letter.body.startswith("Dear family of Maria,")


@pytest.mark.parametrize(
    ("type", "kind", "extra"),
    [
        ("modify_plan", LetterKind.PLAN_CHANGE, {"goal": 80}),
        ("intensify", LetterKind.PLAN_INTENSIFY, {"sessions_per_week": 5}),
        ("fade", LetterKind.PLAN_CHANGE, {"sessions_per_week": 2}),
        ("exit", LetterKind.PLAN_END, {}),
    ],
)
def test_each_plan_decision_gets_its_letter(kit, rosa, decide, type, kind, extra):
    plan = kit.plan(kit.world.student)
    decision = decide(type, plan=plan, rationale="Team review.", **extra)
    letter = FamilyLetter.objects.get(decision=decision)
    assert letter.kind == kind
    assert letter.language == "es"


def test_continue_monitor_and_dismiss_get_no_letter(kit, rosa, decide):
    plan = kit.plan(kit.world.student)
    decide("continue", plan=plan)
    decide("monitor", domain="reading", rationale="Watch")
    assert not FamilyLetter.objects.exists()


def test_the_profile_catches_up_on_a_lost_draft(kit, rosa, client):
    from meetings import services

    w = kit.world
    # Recorded without running the after-commit work: as if the process died there.
    services.meeting_record_decision(
        meeting=kit.meeting,
        item=None,
        student=w.student,
        type="place_tier2",
        actor=w.team_member,
        **placement(kit),
    )
    assert not FamilyLetter.objects.exists()
    client.force_login(w.team_member)
    page = client.get(f"/students/{w.student.pk}/").content.decode()
    assert FamilyLetter.objects.count() == 1
    assert "Apoyo adicional para Maria en la escuela" in page


def test_staff_edit_then_print_then_the_letter_is_frozen(kit, rosa, decide, client):
    w = kit.world
    letter = FamilyLetter.objects.get(decision=decide("place_tier2", **placement(kit)))
    client.force_login(w.team_member)
    body = letter.body.replace("Atentamente,", "Un saludo cordial,")
    response = client.post(
        f"/families/letters/{letter.pk}/",
        {"subject": letter.subject, "body": body, "version": letter.version},
    )
    assert response.status_code == 302
    pdf = client.get(f"/families/letters/{letter.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.post(f"/families/letters/{letter.pk}/send/", {"via": "print"})
    letter.refresh_from_db()
    assert letter.is_sent and letter.sent_via == "print" and "Un saludo cordial," in letter.body
    with pytest.raises(ApplicationError):
        letters.letter_save(
            letter=letter,
            subject="x",
            body="y",
            version=letter.version,
            actor=w.team_member,
            audit=AuditContext.system(),
        )
    actions = set(
        AccessLog.objects.filter(object_type="family_letter").values_list("action", flat=True)
    )
    assert actions == {"create", "update", "export"}
    # On the profile and in the API, as sent.
    page = client.get(f"/students/{w.student.pk}/").content.decode()
    assert "Letters sent" in page and letter.subject in page
    api = client.get(f"/api/v1/family-letters/?student={w.student.pk}").json()
    assert api["results"][0]["status"] == "sent"
    assert "Un saludo cordial," in api["results"][0]["body"]


def test_a_stale_edit_is_refused_and_keeps_the_saved_text(kit, rosa, decide):
    w = kit.world
    letter = FamilyLetter.objects.get(decision=decide("place_tier2", **placement(kit)))
    audit = AuditContext.system()
    letters.letter_save(
        letter=letter, subject="A", body="First", version=1, actor=w.team_member, audit=audit
    )
    with pytest.raises(ApplicationError) as exc:
        letters.letter_save(
            letter=letter, subject="B", body="Second", version=1, actor=w.principal, audit=audit
        )
    assert exc.value.extra["saved_body"] == "First"


def test_e_mailing_sends_through_the_configured_backend_with_the_pdf(kit, rosa, decide, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = kit.world
    letter = FamilyLetter.objects.get(decision=decide("place_tier2", **placement(kit)))
    letters.letter_mark_sent(
        letter=letter, via="email", actor=w.team_member, audit=AuditContext.system()
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.org"]
    assert message.subject == "Apoyo adicional para Maria en la escuela"
    assert message.attachments[0][2] == "application/pdf"
    letter.refresh_from_db()
    assert letter.sent_to == "rosa@example.org"


def test_a_progress_report_has_its_graph(kit, rosa, client):
    from interventions import services as plan_services

    w = kit.world
    plan = kit.plan(w.student)
    for weeks, score in enumerate([42, 45, 44, 48, 50, 49, 53]):
        plan_services.progress_record(
            plan=plan,
            date=plan.start_date + dt.timedelta(weeks=weeks + 1),
            score=score,
            actor=w.interventionist,
        )
    client.force_login(w.interventionist)
    response = client.post(f"/families/students/{w.student.pk}/progress-report/", {"plan": plan.pk})
    letter = FamilyLetter.objects.get(kind=LetterKind.PROGRESS_REPORT)
    assert response.status_code == 302
    assert letter.language == "es" and letter.chart_data["labels"]["goal"] == "Meta"
    assert len(letter.chart_data["points"]) == 7
    assert "Maria obtuvo 53 puntos" in letter.body
    svg = client.get(f"/families/letters/{letter.pk}/chart.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get(f"/families/letters/{letter.pk}/pdf/").content.startswith(b"%PDF")


def test_letters_are_scoped_to_the_students_a_user_sees(kit, rosa, decide, client):
    w = kit.world
    letter = FamilyLetter.objects.get(decision=decide("place_tier2", **placement(kit)))
    client.force_login(w.other_teacher)
    assert client.get(f"/families/letters/{letter.pk}/").status_code == 404
    assert client.get(f"/families/letters/{letter.pk}/pdf/").status_code == 404
    assert client.get("/api/v1/family-letters/").json()["results"] == []
    # The student's teacher reads the letter but may not send it.
    client.force_login(w.teacher)
    assert client.get(f"/families/letters/{letter.pk}/").status_code == 200
    assert client.post(f"/families/letters/{letter.pk}/send/", {"via": "print"}).status_code == 403
    assert AccessLog.objects.filter(
        object_type="family_letter", action="view", user=w.teacher
    ).exists()
