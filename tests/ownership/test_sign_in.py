"""Sign-in codes: one student each, stored hashed, expiring, replaced by newer ones, every
try in the record of access, wrong tries limited per client address."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ownership import codes as code_values
from ownership.models import SignInCode
from ownership.session import SESSION_KEY
from students.models import AccessLog
from tests.ownership.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_codes_are_random_printable_and_typed_back_loosely():
    made = {code_values.new_code() for _ in range(200)}
    assert len(made) == 200
    assert all(code_values.looks_like_a_code(c) for c in made)
    assert code_values.printed("ACDEFGHJ") == "ACDE-FGHJ"
    assert code_values.normalize(" acde-fghj ") == "ACDEFGHJ"
    assert code_values.digest("acde fghj") == hashlib.sha256(b"ACDEFGHJ").hexdigest()
    with pytest.raises(ValueError):
        code_values.expiry(timezone.now(), 24 * 7 + 1)


def test_printing_makes_one_hashed_code_per_student_of_the_class(own):
    w = own.world
    before = timezone.now()
    printed = own.codes(hours=24)
    assert set(printed) == {w.student.pk, own.ana.pk}
    rows = SignInCode.objects.filter(section=w.section)
    assert rows.count() == 2
    for row in rows:
        code = printed[row.student_id]
        assert code not in row.digest
        assert row.digest == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
        assert dt.timedelta(hours=24) <= row.expires_at - before < dt.timedelta(hours=24, seconds=5)
    logged = AccessLog.objects.filter(object_type="student_sign_in_code", user=w.teacher)
    assert sorted(logged.values_list("student_id", flat=True)) == sorted(printed)


def test_a_teacher_prints_codes_only_for_a_class_they_teach(client, own):
    w = own.world
    with pytest.raises(PermissionDenied):
        own.codes(section=w.other_section)  # Grade 3 - Ruiz: not Ms. Lee's
    with pytest.raises(PermissionDenied):
        own.codes(actor=w.other_teacher)
    client.force_login(w.teacher)
    url = reverse("ownership:codes", args=[w.other_section.pk])
    assert client.post(url, {"hours": 24}).status_code == 403
    assert not SignInCode.objects.exists()
    response = client.post(reverse("ownership:codes", args=[w.section.pk]), {"hours": 8})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maria Garcia" in html and "Ana Diaz" in html and "Liam" not in html
    assert html.count('class="code-card"') == 2
    assert '<svg role="img" aria-label="QR code that opens the sign-in page with Maria' in html


def test_a_code_opens_its_students_page_only_and_is_logged(client, own):
    w = own.world
    printed = own.codes()
    response = sign_in(client, printed[w.student.pk].lower())
    assert response.status_code == 302 and response.url == reverse("ownership:me")
    assert client.session[SESSION_KEY]["student"] == w.student.pk
    assert "_auth_user_id" not in client.session  # no staff sign-in at all
    # A page left open on a shared device closes after 30 idle minutes (the code lives 24 h).
    assert 29 * 60 < client.session.get_expiry_age() <= 30 * 60
    page = client.get(reverse("ownership:me")).content.decode()
    assert "Hi, Maria!" in page and "Ana" not in page and "Liam" not in page
    row = AccessLog.objects.get(object_type="student_sign_in")
    assert row.student_id == w.student.pk and row.user is None and row.ip == "127.0.0.1"
    assert row.detail["result"] == "signed in" and row.detail["via"] == "student code"


def test_a_wrong_code_is_refused_and_logged_without_a_student(client, own):
    own.codes()
    response = sign_in(client, "ACDE-FGHJ")
    assert response.status_code == 400
    assert "That code does not work" in response.content.decode()
    assert SESSION_KEY not in client.session
    row = AccessLog.objects.get(object_type="student_sign_in")
    assert row.student is None and row.detail["reason"] == "no such code"


def test_an_expired_code_is_refused_and_logged_against_its_student(client, own):
    w = own.world
    code = own.codes(hours=1)[w.student.pk]
    SignInCode.objects.filter(student=w.student).update(
        created_at=timezone.now() - dt.timedelta(hours=2),
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert sign_in(client, code).status_code == 400
    row = AccessLog.objects.get(object_type="student_sign_in")
    assert row.student_id == w.student.pk and row.detail["reason"] == "the code has expired"


def test_the_students_session_ends_when_the_code_expires(client, own):
    w = own.world
    sign_in(client, own.codes()[w.student.pk])
    assert client.get(reverse("ownership:me")).status_code == 200
    SignInCode.objects.filter(student=w.student).update(
        created_at=timezone.now() - dt.timedelta(hours=2),
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    response = client.get(reverse("ownership:me"))
    assert response.status_code == 302 and response.url == reverse("ownership:sign_in")


def test_printing_again_ends_the_earlier_codes_and_their_sessions(client, own):
    w = own.world
    old = own.codes()[w.student.pk]
    sign_in(client, old)
    new = own.codes()[w.student.pk]
    assert client.get(reverse("ownership:me")).status_code == 302
    assert sign_in(client, old).status_code == 400
    assert sign_in(client, new).status_code == 302
    reasons = list(
        AccessLog.objects.filter(object_type="student_sign_in")
        .order_by("at", "id")
        .values_list("detail__result", "detail__reason")
    )
    assert reasons == [
        ("signed in", None),
        ("refused", "the code was replaced by newer ones"),
        ("signed in", None),
    ]


def test_wrong_codes_are_limited_per_address_and_right_ones_do_not_count(client, own, settings):
    settings.STUDENT_CODE_FAILURE_RATE = "3/10m"
    w = own.world
    printed = own.codes()
    # A whole class signing in from one address: right codes never use up the limit.
    for _ in range(5):
        assert sign_in(client, printed[w.student.pk]).status_code == 302
    for _ in range(3):
        assert sign_in(client, "ACDE-FGHJ").status_code == 400
    # The fourth try from this address is refused, right code or not, and logged.
    blocked = sign_in(client, printed[own.ana.pk])
    assert blocked.status_code == 429
    assert "Too many wrong codes" in blocked.content.decode()
    last = AccessLog.objects.filter(object_type="student_sign_in").order_by("-id").first()
    assert last.detail["reason"] == "too many wrong codes" and last.student is None
    # Another address is not affected.
    assert sign_in(client, printed[own.ana.pk], REMOTE_ADDR="10.0.0.7").status_code == 302


def test_a_teacher_ends_the_classs_codes_and_their_sessions_now(client, own):
    w = own.world
    code = own.codes()[w.student.pk]
    student = client.__class__()
    sign_in(student, code)
    assert student.get(reverse("ownership:me")).status_code == 200
    client.force_login(w.other_teacher)
    assert client.post(reverse("ownership:end_codes", args=[w.section.pk])).status_code == 403
    client.force_login(w.teacher)
    response = client.post(reverse("ownership:end_codes", args=[w.section.pk]), follow=True)
    assert "2 sign-in codes of Grade 3 - Lee no longer work." in response.content.decode()
    assert student.get(reverse("ownership:me")).status_code == 302
    assert sign_in(student, code).status_code == 400
    ended = AccessLog.objects.filter(object_type="student_sign_in_code", action="update")
    assert ended.count() == 2
