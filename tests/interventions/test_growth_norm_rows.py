"""The normative growth table read for some measures and grades only (what a page judging a
few plans reads) has the same rows for those as the district's whole table.

Fall starts 2026-09-01 and winter 2027-01-05: 126 days, 18 weeks apart. Each student scores
50 in the fall and 50 + 18 * g in the winter, a growth of exactly g per week.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from interventions.analysis.growth import GrowthNorm
from interventions.selectors.rule_inputs import growth_norm_table
from screening.models import ScreeningScore
from tests.factories import StudentFactory
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

AS_OF = dt.date(2027, 1, 10)


def _peers(world, screening, measure, grade: int, growths: list[float]) -> None:  # noqa: F811
    for g in growths:
        student = StudentFactory(school=world.school, grade=grade)
        for window, score in ((screening.fall, 50), (screening.winter, 50 + 18 * g)):
            ScreeningScore.objects.create(
                student=student, measure=measure, window=window, grade=grade, score=Decimal(score)
            )


@pytest.mark.django_db
def test_some_rows_are_the_whole_tables_rows(world, screening):  # noqa: F811
    _peers(world, screening, screening.orf, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    _peers(world, screening, screening.orf, 4, [2, 4, 6, 8, 10, 12, 2, 4, 6, 8])
    _peers(world, screening, screening.errors, 3, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])

    whole = growth_norm_table(district_id=world.district.pk, as_of=AS_OF, percentile=25)
    some = growth_norm_table(
        district_id=world.district.pk,
        as_of=AS_OF,
        percentile=25,
        measure_ids=[screening.orf.pk],
        grades=[3],
    )

    # Grade 3 ORF: growths 1..10; the 25th percentile sits at position 0.25 * 9 = 2.25
    # of the sorted list: 3 + 0.25 * (4 - 3) = 3.25.
    assert some == {(screening.orf.pk, 3): GrowthNorm(percentile=25, growth=3.25, peers=10)}
    assert whole[(screening.orf.pk, 3)] == some[(screening.orf.pk, 3)]
    # The other groups are in the whole table only.
    assert set(whole) == {(screening.orf.pk, 3), (screening.orf.pk, 4), (screening.errors.pk, 3)}


@pytest.mark.django_db
def test_no_measure_reads_no_row(world, screening):  # noqa: F811
    _peers(world, screening, screening.orf, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    table = growth_norm_table(
        district_id=world.district.pk, as_of=AS_OF, percentile=25, measure_ids=[], grades=[3]
    )
    assert table == {}
