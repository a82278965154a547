"""Demo rounds of the villagers' evaluation: two villages of X镇 this year, one closed with its results
applied, one still open, with ballots cast through the service (invented ratings). Idempotent."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from cadre_mgmt.cadres.models import Village

from . import services
from .models import EvaluationRound

WEIGHTS = {"s": 7, "b": 2, "d": 1}


def _cast(round_, codes, votes, rng, today):
    cadre_ids = list(round_.subjects.values_list("cadre_id", flat=True))
    ratings_pool = [r for r, w in WEIGHTS.items() for _ in range(w)]
    for code in codes[:votes]:
        ratings = {cadre_id: rng.choice(ratings_pool) for cadre_id in cadre_ids}
        services.ballot_cast(code=code, ratings=ratings, comment="", today=today)


def seed_evaluation(stdout=None):
    officer = get_user_model().objects.filter(username="township_x").first()
    if officer is None or EvaluationRound.objects.exists():
        return
    today = timezone.localdate()
    villages = list(Village.objects.filter(township=officer.township, cadres__status="in_post").distinct().order_by("sort_order", "name")[:2])
    rng = random.Random("demo-evaluation")
    for index, village in enumerate(villages):
        round_ = services.round_open(
            user=officer, village=village, year=today.year, closes_on=today + datetime.timedelta(days=30)
        )
        _batch, codes = services.slips_issue(user=officer, round_=round_, count=30 if index == 0 else 20)
        _cast(round_, codes, 18 if index == 0 else 7, rng, today)
        if index == 0:
            services.round_close(user=officer, round_=round_)
    if stdout is not None:
        stdout.write(f"  villagers' evaluation: {len(villages)} rounds\n")
