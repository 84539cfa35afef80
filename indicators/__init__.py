"""Early-warning indicator data: school calendars, daily attendance and course marks.

Data like screening scores, so it sits just above the roster (students < indicators <
screening): the decision rules (decisions/sweep_indicators.py) read it, the dashboards show it,
and it never imports an app above it. Imports run through the roster's import jobs
(students/imports.py); see docs/indicators.md.
"""
