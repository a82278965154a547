"""The rank section of the cadre file: current level, rank history, allowance history (2 queries)."""

from django.utils import timezone

from . import selectors


def cadre_rank_panel(cadre, user):
    history = selectors.cadre_rank_history(cadre=cadre)
    return {
        "state": selectors.rank_state_from_history(history, day=timezone.localdate()),
        "history": history,
        "allowances": selectors.cadre_allowance_history(cadre=cadre),
    }
