"""An enrollment past its end date no longer links a teacher to the student: the scoping
function, the profile (404) and the score grid's rows. The end date is the enrollment's last
day (inclusive): ending today still shows the student today; ending yesterday does not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from students.access import current_enrollment_condition
from students.models import Enrollment
from students.selectors import students_visible_to
from tests.screening.conftest import Screening, screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def end_enrollment(world, day: dt.date | None) -> None:
    Enrollment.objects.filter(student=world.student, section=world.section).update(end_date=day)


def grid_names(client, world, scr: Screening) -> list[str]:
    url = reverse("screening:score_entry") + (
        f"?section={world.section.pk}&window={scr.fall.pk}&measure={scr.orf.pk}"
    )
    response = client.get(url)
    assert response.status_code == 200
    return [row.student.full_name for row in response.context["grid"].rows]


def test_the_condition_keeps_the_end_date_itself_and_drops_the_day_after(world):
    # Worked example: an enrollment ending on 10 March counts on 10 March, not on 11 March.
    ends = dt.date(2026, 3, 10)
    end_enrollment(world, ends)
    mine = Enrollment.objects.filter(student=world.student, section=world.section)
    assert mine.filter(current_enrollment_condition(today=ends - dt.timedelta(days=1))).exists()
    assert mine.filter(current_enrollment_condition(today=ends)).exists()
    assert not mine.filter(current_enrollment_condition(today=ends + dt.timedelta(days=1))).exists()
    # An inactive enrollment never counts, whatever its dates.
    mine.update(active=False, end_date=None)
    assert not mine.filter(current_enrollment_condition(today=ends)).exists()


@pytest.mark.parametrize(
    "ends, sees",
    [
        (None, True),  # no end date
        (0, True),  # ends today: the last day still counts
        (1, True),  # ends tomorrow
        (-1, False),  # ended yesterday
        (-200, False),  # ended long ago
    ],
)
def test_a_teacher_sees_a_student_until_the_enrollments_end_date(
    client,
    world,
    screening,  # noqa: F811
    ends,
    sees,
):
    today = timezone.localdate()
    end_enrollment(world, None if ends is None else today + dt.timedelta(days=ends))

    assert students_visible_to(world.teacher).filter(pk=world.student.pk).exists() is sees
    client.force_login(world.teacher)
    profile = client.get(reverse("student_detail", args=[world.student.pk]))
    assert profile.status_code == (200 if sees else 404)
    assert (world.student.full_name in grid_names(client, world, screening)) is sees


def test_the_schools_team_still_sees_a_student_whose_class_enrollment_ended(world):
    end_enrollment(world, timezone.localdate() - dt.timedelta(days=1))
    # The team's access comes from the school, not from a class list.
    assert students_visible_to(world.team_member).filter(pk=world.student.pk).exists()
    assert not students_visible_to(world.teacher).exists()
