"""The rank section of the cadre file: current level, rank history, allowance history (3 queries)."""

from django.utils import timezone

from . import selectors


def cadre_rank_panel(cadre, user):
    state = selectors.rank_states_on(cadre_ids=[cadre.pk], day=timezone.localdate())[cadre.pk]
    return {
        "state": state,
        "history": selectors.cadre_rank_history(cadre=cadre),
        "allowances": selectors.cadre_allowance_history(cadre=cadre),
    }
