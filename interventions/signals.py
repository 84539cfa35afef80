"""Signals the interventions app sends for higher layers to react to (they connect in their
AppConfig.ready(); this app never imports them).

- `plan_started_outside_meeting(plan, actor, audit)`: a plan was started from the plan
  page or the API, not by a team's meeting decision. Sent inside the starting transaction,
  so a receiver's writes commit or roll back with the plan.
"""

from django.dispatch import Signal

plan_started_outside_meeting = Signal()
