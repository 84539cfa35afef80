"""The "Team meetings" card of the student profile, as the keyword arguments of
students.views.ProfileCard (the roster app's PROFILE_CARDS list builds the card from them).

Kept in a module of its own with no imports, so the roster's views can read it at import time.
"""

PROFILE_CARD = {
    "key": "meetings",
    "title": "Team meetings",
    "template": "meetings/_student_meetings_card.html",
    "context": "meetings.views.student_meetings_card",
    "empty_text": "Decisions the school's team records about this student in its meetings "
    "will appear here.",
}
