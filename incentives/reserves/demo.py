"""Demo reserve pool: a believable pool in every demo village (invented people, invented region codes),
some villages below the county's minimum of 2. Idempotent: skipped when reserves exist."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.models import Cadre, Post, Village

from . import services
from .models import Reserve

# Reserves per village in village order; the zeros and ones are the villages below the minimum.
PLAN = [3, 2, 1, 4, 2, 0, 2, 3, 2, 3, 1, 2, 4, 2, 0, 3]
REGIONS = {"X镇": "990201", "Y镇": "990202"}
NAMES = [
    "陈思远",
    "李晓雯",
    "王浩然",
    "张雨欣",
    "刘子涵",
    "赵俊杰",
    "孙佳怡",
    "周明轩",
    "吴梓涵",
    "郑宇航",
    "冯思琪",
    "何嘉豪",
    "许若溪",
    "韩博文",
    "曹雅静",
    "彭一鸣",
    "邓欣怡",
    "萧志诚",
    "田雨桐",
    "潘宇轩",
    "蒋文博",
    "蔡梦瑶",
    "杜泽宇",
    "叶清妍",
    "程昊天",
    "魏诗涵",
    "吕浩宇",
    "丁可欣",
    "沈嘉懿",
    "姚天佑",
    "卢思彤",
    "姜子墨",
    "崔梓萱",
    "钟睿",
    "谭雨泽",
    "陆婉清",
    "汪一帆",
    "范芷若",
]  # noqa: E501
SOURCES = ["graduate", "entrepreneur", "veteran", "talent", "graduate", "talent", "other"]
COURSES = [
    ("村级后备干部示范培训班", "县委组织部", Decimal("16.0"), "training"),
    ("跟班学习：村委会日常事务", "所在村", Decimal("40.0"), "practice"),
]


def _id_number(region, birth, serial):
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + idnumbers.check_digit(first17)


def _register(rng, officer, village, index, today):
    birth = datetime.date(1988 + rng.randrange(12), rng.randrange(1, 13), rng.randrange(1, 28))
    mentor = Cadre.objects.filter(village=village, status="in_post").order_by("pk").first()
    return services.reserve_register(
        user=officer,
        village=village,
        id_number=_id_number(REGIONS[village.township.name], birth, 2 * index + 1 + rng.randrange(2)),
        name=NAMES[index % len(NAMES)],
        phone=f"139{rng.randrange(10**8):08d}",
        political_status=rng.choice(["party_member", "party_member", "probationary", "league", "masses"]),
        education=rng.choice(["senior", "college", "bachelor", "bachelor", "postgraduate"]),
        source=SOURCES[index % len(SOURCES)],
        target_post=Post.objects.filter(code=rng.choice(["member", "director", "accountant"])).first(),
        mentor=mentor,
        registered_on=today - datetime.timedelta(days=200 + 30 * rng.randrange(12)),
    )


def _cultivate(rng, officer, reserve, today):
    services.reserve_start_cultivation(user=officer, reserve=reserve, on=reserve.registered_on + datetime.timedelta(days=30))
    for course, organizer, hours, kind in COURSES:
        day = min(today, reserve.registered_on + datetime.timedelta(days=60 + rng.randrange(90)))
        services.reserve_training_record(
            user=officer, reserve=reserve, kind=kind, course=course, organizer=organizer, hours=hours, trained_on=day
        )
    grade = rng.choice(["excellent", "competent", "competent", "basically_competent"])
    year = today.year - 1 if reserve.registered_on.year < today.year else today.year
    services.reserve_assessment_save(user=officer, reserve=reserve, year=year, grade=grade, comment="表现较好，可继续培养")


def seed_reserves(stdout):
    if Reserve.objects.exists():
        return
    officers = {u.township_id: u for u in get_user_model().objects.filter(role="township_staff").order_by("-pk")}
    rng, today, index = random.Random(13), timezone.localdate(), 0
    for village, count in zip(Village.objects.select_related("township").order_by("township__name", "pk"), PLAN, strict=False):
        officer = officers.get(village.township_id)
        for number in range(count):
            reserve = _register(rng, officer, village, index, today)
            index += 1
            if number % 3 != 2:
                _cultivate(rng, officer, reserve, today)
            if count == 4 and number == 3:
                services.reserve_withdraw(user=officer, reserve=reserve, on=today, reason="外出务工，本人申请退出")
    stdout.write(f"Reserve cadres: {index}\n")
