"""The reserve pool of the benchmark county: 40 reserves per 100 cadres (40,000 at 100,000 cadres), spread
over every village, in every status, their ID numbers encrypted as the application stores them."""

import datetime
import random

from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.models import Cadre
from incentives.reserves.models import Reserve

RESERVES_PER_CADRE = 0.4
STATUSES = ["registered", "cultivating", "cultivating", "appointed", "withdrawn"]
SOURCES = [value for value, _label in Reserve.Source.choices]
EDUCATIONS = [value for value, _label in Cadre.Education.choices]


def _reserve(index, village, officer, rng, today, number):
    status = rng.choice(STATUSES[:3] if rng.random() < 0.9 else STATUSES)
    ended = today - datetime.timedelta(days=rng.randrange(1, 300)) if status in {"appointed", "withdrawn"} else None
    reserve = Reserve(
        township_id=village.township_id,
        village_id=village.pk,
        name=f"后备{index}",
        phone="13900000000",
        education=rng.choice(EDUCATIONS),
        political_status="party_member",
        source=rng.choice(SOURCES),
        status="withdrawn" if status == "appointed" else status,  # an appointed reserve needs its cadre
        registered_on=today - datetime.timedelta(days=400 + rng.randrange(400)),
        ended_on=ended,
        withdrawal_reason="外出务工" if ended else "",
        recorded_by_id=officer.pk,
    )
    reserve.assign_id_number(idnumbers.parse_id_number(number))
    return reserve


def generate_reserves(*, villages, officers, scale, today, seed=20260102, log=print):
    rng = random.Random(seed)
    count = round(scale * RESERVES_PER_CADRE)
    rows = []
    for index in range(count):
        village = villages[index * len(villages) // count]
        birth = datetime.date(1985 + index % 15, 1 + index % 12, 1 + index % 28)
        first17 = f"98{index // 1000 % 10000:04d}{birth:%Y%m%d}{index % 1000:03d}"
        rows.append(_reserve(index, village, officers[village.township_id], rng, today, first17 + idnumbers.check_digit(first17)))
    Reserve.objects.bulk_create(rows, batch_size=2000)
    log(f"reserves: {count}")
    return count
