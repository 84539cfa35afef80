"""How families hears of the team's decisions without the meetings app naming it.

Django's own `post_save` of `meetings.Decision` says a decision was recorded; after the
decision's transaction commits, its letter is drafted and, for a referral, the referral
record opened. Drafting after commit keeps a failing draft from undoing the team's
decision; a draft lost with its process is made by the profile's catch-up
(families.letters.letters_catch_up).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def on_decision_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    pk = instance.pk
    transaction.on_commit(lambda: act_on_decision(pk))


def act_on_decision(decision_id: int) -> None:
    from families.letters import letter_draft_for_decision
    from families.referrals import referral_open_for_decision
    from meetings.models import Decision

    decision = Decision.objects.select_related("meeting").filter(pk=decision_id).first()
    if decision is None:
        return
    try:
        referral_open_for_decision(decision=decision)
        letter_draft_for_decision(decision=decision)
    except Exception:  # never break the request that recorded the decision
        logger.exception("families: could not act on decision %s", decision_id)
