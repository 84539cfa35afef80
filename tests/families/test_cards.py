"""The families card of the profile and the home section pin their query counts."""

from __future__ import annotations

from families.cards import home_referrals, student_card
from tests.families.conftest import placement


def test_the_profile_card_takes_five_queries(kit, rosa, decide, django_assert_num_queries):
    w = kit.world
    decide("place_tier2", **placement(kit))
    decide("refer_evaluation", domain="reading", rationale="x")
    w.district_admin._memberships_cache = None
    with django_assert_num_queries(5):  # memberships, catch-up, letters, referrals, plans
        data = student_card(user=w.district_admin, student=w.student)
    assert len(data["drafts"]) == 1 and len(data["referrals"]) == 1 and len(data["plans"]) == 1


def test_the_home_section_takes_one_query(kit, decide, django_assert_num_queries):
    w = kit.world
    decide("refer_evaluation", domain="reading", rationale="x")
    list(w.team_member.memberships.all())
    from students.access import memberships_of

    memberships_of(w.team_member)
    with django_assert_num_queries(1):
        data = home_referrals(user=w.team_member, roles={"team_member"})
    assert data["students_shown"] == [w.student.pk]
