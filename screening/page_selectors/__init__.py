"""Reads behind the screening pages: score entry, SRSS-IE rating, completion, referrals.

Student-level rows always come through `students.selectors.students_visible_to`; school
aggregates (completion) are limited to `schools_visible_to`. Every function runs a fixed
number of queries whatever the size of the class or school, so the pages' query counts stay
flat (pinned in tests/screening/test_views.py).

One module per page (`sections` is who may enter for which class, shared by the entry pages);
this package re-exports their public names.
"""

from screening.page_selectors.completion import (
    CompletionLine,
    completion_lines,
    completion_measures,
    completion_windows,
)
from screening.page_selectors.grid import (
    PREVIOUS_WINDOWS,
    EntryGrid,
    GridRow,
    class_tallies,
    entry_grid,
    score_get,
)
from screening.page_selectors.ratings import SRSS_CODES, RatingRow, rating_rows
from screening.page_selectors.referrals import (
    ReferralFilters,
    current_school_year,
    referral_counts_per_student,
    referral_student_find,
    referral_students,
    referrals_list,
    visible_active_student_count,
)
from screening.page_selectors.sections import (
    entry_measures,
    entry_section_get,
    entry_sections,
    entry_windows,
    school_wide_condition,
    section_student_get,
    section_students,
    sections_listable,
    window_is_enterable,
)

__all__ = [
    "CompletionLine",
    "EntryGrid",
    "GridRow",
    "PREVIOUS_WINDOWS",
    "RatingRow",
    "ReferralFilters",
    "SRSS_CODES",
    "class_tallies",
    "completion_lines",
    "completion_measures",
    "completion_windows",
    "current_school_year",
    "entry_grid",
    "entry_measures",
    "entry_section_get",
    "entry_sections",
    "entry_windows",
    "rating_rows",
    "referral_counts_per_student",
    "referral_student_find",
    "referral_students",
    "referrals_list",
    "school_wide_condition",
    "score_get",
    "section_student_get",
    "section_students",
    "sections_listable",
    "visible_active_student_count",
    "window_is_enterable",
]
