"""Demo rounds of the villagers' evaluation, written through the services (invented ratings). Idempotent.

X镇: two villages this year, the first closed with its results applied to the year's mass-evaluation
scores, the second still open; Y镇: one village open. Each open round has a paper tally awaiting the
second township user's confirmation.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from cadre_mgmt.cadres.models import Village

from . import services
from .models import EvaluationRound

WEIGHTS = {"s": 7, "b": 2, "d": 1}
PLAN = {"township_x": [(30, 18, True), (20, 7, False)], "township_y": [(20, 9, False)]}


def _cast(round_, codes, votes, rng, today):
    cadre_ids = list(round_.subjects.values_list("cadre_id", flat=True))
    ratings_pool = [r for r, w in WEIGHTS.items() for _ in range(w)]
    for code in codes[:votes]:
        ratings = {cadre_id: rng.choice(ratings_pool) for cadre_id in cadre_ids}
        services.ballot_cast(code=code, ratings=ratings, comment="", today=today)


def _seed_round(officer, village, plan, rng, today):
    slips, votes, close = plan
    round_ = services.round_open(user=officer, village=village, year=today.year, closes_on=today + datetime.timedelta(days=30))
    _batch, codes = services.slips_issue(user=officer, round_=round_, count=slips)
    _cast(round_, codes, votes, rng, today)
    if close:
        services.round_close(user=officer, round_=round_)
    else:
        cadre_id = round_.subjects.order_by("cadre_id").values_list("cadre_id", flat=True).first()
        services.paper_tally_enter(user=officer, round_=round_, cadre_id=cadre_id, satisfied=6, basically=2, dissatisfied=1)


def seed_evaluation(stdout=None):
    if EvaluationRound.objects.exists():
        return
    today = timezone.localdate()
    rng = random.Random("demo-evaluation")
    made = 0
    for username, plans in PLAN.items():
        officer = get_user_model().objects.filter(username=username).first()
        if officer is None:
            continue
        villages = Village.objects.filter(township=officer.township, cadres__status="in_post").distinct()
        for village, plan in zip(villages.order_by("sort_order", "name"), plans, strict=False):
            _seed_round(officer, village, plan, rng, today)
            made += 1
    if stdout is not None:
        stdout.write(f"  村民测评：{made} 个村")
