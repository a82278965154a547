"""Demo Party-branch meetings (one a month per village branch for the last year, with attendance) and a few
revitalization projects. Idempotent: each part is skipped when its records exist."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cadre_mgmt.cadres.models import Cadre, Village

from . import services
from .models import BranchMeeting, RevitalizationProject

TOPICS = {
    "members": "支部党员大会：学习贯彻党的二十届三中全会精神",
    "committee": "支委会：研究发展党员和村级重点工作",
    "group": "党小组会：组织生活会前谈心谈话",
    "lesson": "书记讲党课：发挥党员先锋模范作用",
    "theme": "主题党日：人居环境整治志愿服务",
}
KINDS = ["members", "committee", "lesson", "committee", "group", "theme"]
PROJECTS = [
    ("猕猴桃种植基地扩建", "industry", Decimal("850000.00"), "已完成土地流转120亩，苗木栽植过半。"),
    ("村组道路硬化（二期）", "infrastructure", Decimal("1200000.00"), "完成路基3.2公里，待浇筑。"),
    ("生活污水集中处理", "environment", Decimal("460000.00"), "管网铺设完成60%。"),
    ("村集体光伏电站", "industry", Decimal("380000.00"), "已并网发电，年收益约4万元。"),
]


def _seed_meetings(officers, villages, rng, today):
    for village in villages:
        cadres = list(Cadre.objects.filter(village=village, status="in_post"))
        for month in range(12):
            held_on = today - datetime.timedelta(days=30 * month + rng.randrange(10))
            kind = KINDS[month % len(KINDS)]
            attendees = [cadre for cadre in cadres if rng.random() < 0.85]
            services.meeting_record(
                user=officers[village.township_id],
                village=village,
                held_on=held_on,
                kind=kind,
                topic=TOPICS[kind],
                attendees=attendees,
            )


def _seed_projects(officers, villages, today):
    for village, (name, kind, budget, progress) in zip(villages[::4], PROJECTS, strict=False):
        responsible = list(Cadre.objects.filter(village=village, status="in_post").order_by("pk")[:2])
        services.project_record(
            user=officers[village.township_id],
            village=village,
            name=name,
            kind=kind,
            starts_on=today - datetime.timedelta(days=240),
            ends_on=today + datetime.timedelta(days=180),
            budget=budget,
            progress=progress,
            responsible=responsible,
        )


def seed_branches(stdout):
    officers = {u.township_id: u for u in get_user_model().objects.filter(role="township_staff").order_by("-pk")}
    villages = list(Village.objects.order_by("township__name", "pk"))
    today = timezone.localdate()
    if not BranchMeeting.objects.exists():
        _seed_meetings(officers, villages, random.Random(17), today)
    if not RevitalizationProject.objects.exists():
        _seed_projects(officers, villages, today)
    stdout.write("Party-branch meetings and revitalization projects seeded\n")
