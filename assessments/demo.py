"""Demo data for the ledger, quarters and years (invented events), written through the services.

Per township: a few hundred ledger entries 2024 → today (single and whole-village entries), every
ended quarter since 2024 scored and closed, the current quarter opened and partly scored, and the
years 2024 and 2025 finalized by the township and confirmed by the county with a believable spread
of grades. Each step checks what exists first, so running it twice changes nothing.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cadre_mgmt.cadres.models import Cadre, Township

from . import rules, selectors, services
from .models import LedgerCategory, LedgerEntry, TownshipQuarter, TownshipYear

FIRST_YEAR = 2024
TOWNSHIP_OFFICERS = {"X镇": "township_x", "Y镇": "township_y"}
SINGLE_ENTRIES = {
    "duty_shift": ["防汛值班", "节假日值班", "森林防火值守"],
    "household_visit": ["走访脱贫监测户", "走访独居老人", "入户宣传医保政策"],
    "assigned_task": ["完成人居环境整治任务", "完成耕地保护巡查", "完成集体经济台账整理"],
    "dispute_mediation": ["调解邻里宅基地纠纷", "调解土地流转纠纷"],
    "urgent_task": ["参与山体滑坡应急处置", "连夜组织抗旱保苗"],
    "commendation": ["获乡镇通报表扬"],
}
MEETINGS = ["村“两委”例会", "主题党日活动", "乡村振兴专题培训", "安全生产警示会议"]
# Share of cadres per performance tier (excellent, competent, basically competent, incompetent).
TIERS = [("excellent", 0.18, (94, 98)), ("competent", 0.65, (82, 91)), ("basic", 0.15, (66, 73)), ("low", 0.02, (40, 48))]


def _d(value):
    return rules.round2(Decimal(str(value)))


def _tier_bases(cadres):
    """A stable performance level per cadre: a shuffle by a fixed seed, cut into tiers."""
    order = sorted(cadres, key=lambda c: c.pk)
    random.Random("demo-tiers").shuffle(order)
    bases, start = {}, 0
    for index, (_name, share, (low, high)) in enumerate(TIERS):
        count = max(1, round(share * len(order))) if index < len(TIERS) - 1 else len(order) - start
        for cadre in order[start : start + count]:
            bases[cadre.pk] = random.Random(f"base-{cadre.pk}").uniform(low, high)
        start += count
    return bases


def _seed_ledger(township, officer, cadres, bases, today):
    if LedgerEntry.objects.filter(township=township).exists():
        return 0
    categories = {c.code: c for c in LedgerCategory.objects.all()}
    rng = random.Random(f"ledger-{township.name}")
    created = 0
    day = datetime.date(FIRST_YEAR, 1, 8)
    while day <= today:
        eligible = [c for c in cadres if c.first_appointed_on <= day]
        # A few single entries a week.
        for _n in range(rng.choice([0, 1, 1, 2])):
            cadre = rng.choice(eligible)
            code = rng.choice(list(SINGLE_ENTRIES))
            change = None
            if code in {"urgent_task", "commendation"} or rng.random() < 0.15:
                change = Decimal(rng.choice([1, 1, 2]))
            if bases[cadre.pk] < 55 and rng.random() < 0.6:
                code, change = "assigned_task", Decimal("-2")
            services.ledger_entry_create(
                user=officer,
                cadres=[cadre],
                category=categories[code],
                date=day,
                description=rng.choice(SINGLE_ENTRIES[code]) if change is None or change > 0 else "交办任务逾期未完成",
                outcome="已完成" if change is None or change > 0 else "已督促整改",
                score_change=change,
            )
            created += 1
        if rng.random() < 0.08:
            cadre = rng.choice(eligible)
            services.ledger_entry_create(
                user=officer,
                cadres=[cadre],
                category=categories["leave"],
                date=day,
                description=rng.choice(["病假", "事假", "探亲假"]),
                leave_days=rng.choice([1, 2, 3, 5]),
            )
            created += 1
        # A whole-village meeting now and then: one bulk entry.
        if day.day <= 7 and day.month % 2 == 0:
            village_cadres = [c for c in eligible if c.village_id == rng.choice(eligible).village_id]
            entries = services.ledger_entry_create(
                user=officer,
                cadres=village_cadres,
                category=categories["meeting"],
                date=day,
                description=rng.choice(MEETINGS),
                outcome="按时参加",
            )
            created += len(entries)
        day += datetime.timedelta(days=7)
    return created


def _area_score(base, rng):
    return _d(min(100, max(0, base + rng.gauss(0, 3))))


def _seed_quarters(township, officer, bases, today):
    done = 0
    current = rules.quarter_of(today)
    for year in range(FIRST_YEAR, today.year + 1):
        for quarter in range(1, 5):
            if (year, quarter) > current:
                break
            if TownshipQuarter.objects.filter(township=township, year=year, quarter=quarter).exists():
                continue
            tq = services.quarter_open(user=officer, township=township, year=year, quarter=quarter)
            _first, last = rules.quarter_bounds(year, quarter)
            cadres = list(selectors.assessed_cadres(township=township, on=min(last, today)))
            areas = list(tq.areas.all())
            is_current = (year, quarter) == current
            if is_current:
                # The current quarter: about half the villages scored so far.
                villages = sorted({c.village_id for c in cadres})[::2]
                cadres = [c for c in cadres if c.village_id in villages]
            scores = {}
            for cadre in cadres:
                rng = random.Random(f"q-{cadre.pk}-{year}-{quarter}")
                for area in areas:
                    scores[(cadre.pk, area.pk)] = _area_score(bases.get(cadre.pk, 85), rng)
            services.quarter_scores_save(user=officer, township=township, year=year, quarter=quarter, scores=scores)
            if not is_current:
                services.quarter_close(user=officer, township=township, year=year, quarter=quarter)
            done += 1
    return done


def _seed_years(township, officer, approver, bases, today):
    done = 0
    for year in range(FIRST_YEAR, today.year):
        if TownshipYear.objects.filter(township=township, year=year).exclude(status=TownshipYear.Status.OPEN).exists():
            continue
        cadres = selectors.assessed_cadres(township=township, on=datetime.date(year, 12, 31))
        scores = {}
        for cadre in cadres:
            rng = random.Random(f"y-{cadre.pk}-{year}")
            base = bases.get(cadre.pk, 85)
            scores[cadre.pk] = (_area_score(base, rng), _area_score(base, rng), _area_score(base + 1, rng))
        services.annual_reviews_save(user=officer, township=township, year=year, scores=scores)
        try:
            services.annual_finalize(user=officer, township=township, year=year)
        except rules.TieUnresolved as tie:
            # The demo township decides ties by seniority (lowest file number first).
            chosen = set(sorted(tie.outcome.tied)[: tie.outcome.tie_places])
            services.annual_finalize(user=officer, township=township, year=year, tie_choice=chosen)
        services.annual_confirm(user=approver, township_year=TownshipYear.objects.get(township=township, year=year))
        done += 1
    return done


def seed_assessments(stdout):
    User = get_user_model()
    approver = User.objects.filter(username="county_approver").first()
    today = timezone.localdate()
    totals = [0, 0, 0]
    for township in Township.objects.filter(name__in=TOWNSHIP_OFFICERS):
        officer = User.objects.filter(username=TOWNSHIP_OFFICERS[township.name]).first()
        if officer is None or approver is None:
            continue
        cadres = list(Cadre.objects.filter(township=township, status=Cadre.Status.IN_POST).order_by("pk"))
        if not cadres:
            continue
        bases = _tier_bases(cadres)
        totals[0] += _seed_ledger(township, officer, cadres, bases, today)
        totals[1] += _seed_quarters(township, officer, bases, today)
        totals[2] += _seed_years(township, officer, approver, bases, today)
    stdout.write(f"  考核：新建台账 {totals[0]} 条，季度 {totals[1]} 个，年度 {totals[2]} 个")
