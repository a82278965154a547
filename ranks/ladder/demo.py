"""Demo data of the ranks app: initial gradings, a few years of rank history, past rosters locked.

Idempotent: a cadre with history is left alone, an existing roster is never regenerated.
Everything goes through the services, so the audit trail looks like real use.
"""

import datetime
import random
import zoneinfo

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.cadres.selectors import cadres_in_rank_system

from ..grading import selectors as grading_selectors
from ..grading import services as grading_services
from ..models import InitialGrading, RankChange, Roster
from ..rosters import services as rosters_services
from . import rules, services

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
GRADING_DAY = datetime.date(2023, 12, 20)
PROMOTION_ROUNDS = [(datetime.date(2025, 1, 16), 0.45), (datetime.date(2026, 1, 21), 0.25)]
DEMOTION_DAY = datetime.date(2025, 6, 18)
FIRST_ROSTER = datetime.date(2025, 6, 1)


def _at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def _history(cadre, approver, computed):
    rng = random.Random(f"ranks-demo-{cadre.id_number_masked}-{cadre.name}")
    grading_day = max(GRADING_DAY, cadre.first_appointed_on + datetime.timedelta(days=20))
    level = computed.level
    services.rank_change_record(
        cadre=cadre,
        kind=RankChange.Kind.INITIAL_GRADING,
        to_level=level,
        approved_by=approver,
        approved_at=_at(grading_day),
        reason=f"按任职年限 {computed.years_served} 年初始定级",
        source="2023年度初始定级",
    )
    for day, chance in PROMOTION_ROUNDS:
        if day > grading_day + datetime.timedelta(days=360) and rng.random() < chance and level > 1:
            level -= 1
            services.rank_change_record(
                cadre=cadre,
                kind=RankChange.Kind.PROMOTION,
                to_level=level,
                approved_by=approver,
                approved_at=_at(day),
                reason=f"{day.year - 1}年度考核称职以上，任现职级年限已满",
                source=f"晋升评审 {day.year} #{rng.randrange(1, 40)}",
            )
    if level < rules.LOWEST_LEVEL and rng.random() < 0.04:
        level += 1
        services.rank_change_record(
            cadre=cadre,
            kind=RankChange.Kind.DEMOTION,
            to_level=level,
            approved_by=approver,
            approved_at=_at(DEMOTION_DAY),
            reason="2024年度考核不称职",
            source="晋升评审 2025 降级",
        )


def seed_rank_history(stdout):
    User = get_user_model()
    approver = User.objects.get(username="county_approver")
    township_users = {user.township_id: user for user in User.objects.filter(role="township_staff", township__isnull=False)}
    today = timezone.localdate()

    # DESIGN §2: a cadre holding no post in the rank system (a clerk only) gets no level in the demo either.
    ungraded = grading_selectors.ungraded_cadres_for(user=approver)
    cadres = list(cadres_in_rank_system(ungraded, month=rules.first_of_month(GRADING_DAY)).order_by("pk"))
    computed = grading_selectors.computed_initial_levels(cadres=cadres, day=GRADING_DAY)
    # The slot comes from the cadre's place among all cadres, so a second run picks the same ones.
    places = {pk: place for place, pk in enumerate(Cadre.objects.order_by("pk").values_list("pk", flat=True))}
    graded = pending = 0
    for cadre in cadres:
        slot = places[cadre.pk] % 20
        if slot == 7:
            continue  # left ungraded: the township sees it on the initial grading page
        if slot == 13:
            if cadre.township_id in township_users:
                grading_services.initial_grading_submit(user=township_users[cadre.township_id], cadre=cadre)
                pending += 1
            continue
        _history(cadre, approver, computed[cadre.pk])
        graded += 1

    # Past rosters, each generated and locked in its own month; this month stays a draft.
    this_month = rules.first_of_month(today)
    months = rules.months_between(FIRST_ROSTER, rules.add_months(this_month, -1))
    created = 0
    for month in months:
        if not Roster.objects.filter(month=month).exists():
            roster = rosters_services.roster_generate(month=month, user=approver)
            rosters_services.roster_lock(roster=roster, user=approver)
            created += 1

    # A mistake found after the lock (DESIGN §3): a promotion reversed, recovered in this month's roster.
    if months and not RankChange.objects.filter(reverses__isnull=False).exists():
        latest = RankChange.objects.filter(cadre=OuterRef("pk")).order_by("-effective_month", "-id").values("kind")[:1]
        victim = (
            Cadre.objects.filter(status=Cadre.Status.IN_POST)
            .annotate(latest_kind=Subquery(latest))
            .filter(latest_kind=RankChange.Kind.PROMOTION)
            .order_by("pk")
            .first()
        )
        if victim is not None:
            promotion = victim.rank_changes.order_by("-effective_month", "-id").first()
            services.rank_change_reverse(
                change=promotion, approved_by=approver, reason="复核发现上年度考核结果录入有误，撤销晋升"
            )
    if not Roster.objects.filter(month=this_month).exists():
        rosters_services.roster_generate(month=this_month, user=approver)
        created += 1
    stdout.write(
        f"  职级：初始定级 {graded} 人，待审批 {pending} 人，花名册新建 {created} 个"
        f"（待审批初始定级共 {InitialGrading.objects.filter(status='submitted').count()} 条）"
    )
