"""The rank section of the cadre file: current level, rank history, allowance history (2 queries)."""

from django.utils import timezone

from cadre_mgmt.cadres.selectors import rank_system_exclusions

from . import rules, selectors


def cadre_rank_panel(cadre, user):
    today = timezone.localdate()
    history = selectors.cadre_rank_history(cadre=cadre)
    reversed_ids = {change.reverses_id for change in history if change.reverses_id}
    can_correct = selectors.can_correct_rank_changes(user)
    return {
        "state": selectors.rank_state_from_history(history, day=today),
        "history": history,
        "allowances": selectors.cadre_allowance_history(cadre=cadre),
        # DESIGN §2: a cadre holding no post in the rank system has no level, and the file says why.
        # The newest change that is no correction and not yet reversed may be reversed (county approvers).
        "reversible_id": next(
            (c.pk for c in history[:1] if c.kind != "correction" and c.pk not in reversed_ids and can_correct),
            None,
        ),
        "reversed_ids": reversed_ids,
        "outside_rank_system": rank_system_exclusions([cadre], month=rules.first_of_month(today))[cadre.pk],
    }
