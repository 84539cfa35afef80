"""Office referrals counted as SWIS counts them: the bands and the October catch count major
(office-managed) referrals only, unless the district's rule set counts minors too. No
database."""

from __future__ import annotations

from datetime import date

import pandas as pd

from decisions.rules import odr_recommendations
from decisions.thresholds import Thresholds
from mtss.lib.thresholds import odr_bands, odr_bands_sentence, odr_counted_severities

YEAR_START = date(2024, 8, 19)
AS_OF = date(2024, 12, 20)


def referrals() -> pd.DataFrame:
    # Student 1: 2 majors (Sep 10, Oct 31) and 4 minors (Sep 3-6).
    # Student 2: 3 minors only, all in September.
    rows = [(1, date(2024, 9, 10), "major"), (1, date(2024, 10, 31), "major")]
    rows += [(1, date(2024, 9, d), "minor") for d in (3, 4, 5, 6)]
    rows += [(2, date(2024, 9, d), "minor") for d in (9, 10, 11)]
    return pd.DataFrame(rows, columns=["student_id", "date", "severity"])


def by_kind(out: pd.DataFrame) -> dict[tuple[int, str], tuple[int, int, bool]]:
    return {
        (r.student_id, r.kind): (r.referrals, r.recommended_tier, bool(r.flag))
        for r in out.itertuples()
    }


def test_it_counts_major_referrals_only_by_default():
    out = odr_recommendations(referrals(), year_start=YEAR_START, as_of=AS_OF)
    # Student 1: 2 majors -> Tier 2, and both by 31 Oct -> the October catch.
    # Student 2: minors only -> 0 counted: Tier 1 rows, so an open flag would resolve.
    assert by_kind(out) == {
        (1, "odr"): (2, 2, True),
        (1, "october_catch"): (2, 2, True),
        (2, "odr"): (0, 1, False),
        (2, "october_catch"): (0, 1, False),
    }
    assert out["evidence"].iloc[0]["counted_severities"] == ["major"]
    assert out["evidence"].iloc[0]["referral_dates"] == ["2024-09-10", "2024-10-31"]


def test_it_counts_minors_when_the_rule_set_says_so():
    t = Thresholds(odr_count_minors=True)
    out = odr_recommendations(referrals(), year_start=YEAR_START, as_of=AS_OF, thresholds=t)
    # Student 1: 6 referrals -> Tier 3; student 2: 3 -> Tier 2, and 3 by 31 Oct -> caught.
    assert by_kind(out) == {
        (1, "odr"): (6, 3, True),
        (1, "october_catch"): (6, 2, True),
        (2, "odr"): (3, 2, True),
        (2, "october_catch"): (3, 2, True),
    }
    assert out["evidence"].iloc[0]["counted_severities"] == ["major", "minor"]


def test_one_major_before_the_catch_date_is_not_a_catch():
    # 1 major by 31 Oct (+ 3 minors): below the catch count of 2.
    frame = pd.DataFrame(
        [(1, date(2024, 10, 1), "major")] + [(1, date(2024, 10, d), "minor") for d in (2, 3, 4)],
        columns=["student_id", "date", "severity"],
    )
    out = odr_recommendations(frame, year_start=YEAR_START, as_of=AS_OF)
    assert by_kind(out)[(1, "october_catch")] == (1, 1, False)


def test_without_a_severity_column_every_referral_counts_as_major():
    frame = referrals().drop(columns="severity")
    out = odr_recommendations(frame, year_start=YEAR_START, as_of=AS_OF)
    assert by_kind(out)[(2, "odr")] == (3, 2, True)


def test_the_bands_follow_the_districts_thresholds():
    assert odr_counted_severities(Thresholds()) == ("major",)
    assert odr_counted_severities(Thresholds(odr_count_minors=True)) == ("major", "minor")
    assert [(b.tier, b.low, b.high, b.label) for b in odr_bands(Thresholds())] == [
        (1, 0, 1, "0–1 major referrals"),
        (2, 2, 5, "2–5 major referrals"),
        (3, 6, None, "6 or more major referrals"),
    ]
    t = Thresholds(odr_tier2_at=3, odr_tier3_at=4, odr_count_minors=True)
    assert [b.label for b in odr_bands(t)] == [
        "0–2 referrals",
        "3 referrals",
        "4 or more referrals",
    ]
    assert odr_bands_sentence(Thresholds()) == (
        "0–1 major referrals is the Tier 1 range, 2–5 Tier 2, 6 or more Tier 3 (SWIS practice; "
        "minor referrals are not counted)."
    )
