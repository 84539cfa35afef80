"""Why a dashboard panel has nothing to show, in words for the page (catalog messages,
read in the active language where a panel is made)."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

NO_WINDOW = gettext_noop(
    "No screening window yet: your district administrator sets the windows up."
)
NO_INDICATORS = gettext_noop(
    "No attendance or course marks imported for this school year yet. A district "
    "administrator imports them on Import & export: each school's calendar first, then daily "
    "attendance, then course marks."
)

NO_DATA = {
    "screened": NO_WINDOW,
    "at_risk": NO_WINDOW,
    "flagged": gettext_noop(
        "No flags yet this school year: the decision rules run nightly and after scores are saved."
    ),
    "placed": gettext_noop("No intervention plans recorded yet this school year."),
    "fidelity": gettext_noop(
        "No sessions logged yet for this year's plans, so fidelity cannot be worked out."
    ),
    "responding": gettext_noop("No plan has enough progress points for a trend yet."),
    "exited": gettext_noop("No intervention plans recorded yet this school year."),
    "referred": gettext_noop(
        "Referrals for evaluation come from team meeting decisions, which are not recorded yet."
    ),
    "overridden": gettext_noop("No team decisions on flags yet this school year."),
    "major_referral": gettext_noop("No office discipline referrals recorded this school year yet."),
    "suspended": gettext_noop("No office discipline referrals recorded this school year yet."),
    "chronic_absent": gettext_noop(
        "No attendance imported this school year yet: import the school calendar, "
        "then daily attendance (Import & export)."
    ),
    "course_failing": gettext_noop(
        "No course marks imported this school year yet (Import & export)."
    ),
}


def no_data_reason(step: str) -> str:
    return gettext(NO_DATA.get(step, gettext_noop("No data yet.")))
