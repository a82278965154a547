"""Synthetic county at provincial scale, loaded with PostgreSQL COPY (never one save per row).

By default (``scale`` = number of cadres): scale/1000 townships, scale/50 villages, five finished
assessment years (annual reviews, closed quarters with the five default task areas and their scores),
50 ledger entries per cadre spread over the years up to today, a rank history for everyone
(initial grading, then promotions and a few demotions), commendations, sanctions, investigations and
vetoes for a few percent of cadres. ID numbers are real-shaped (invented region 99xxxx, valid check
digit), encrypted and hashed by ``cadre_mgmt.cadres.idnumbers`` like those the product stores.

The big tables are loaded without their foreign keys, unique constraints and secondary indexes, which
are put back afterwards (one validating pass and one index build each, instead of a check per row).
Everything is deterministic for a given ``seed``. No audit records are written: this is a load, not
the users' work.
"""

import csv
import datetime
import io
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from assessments.models import (
    AnnualReview,
    LedgerCategory,
    LedgerEntry,
    QuarterArea,
    QuarterScore,
    TownshipQuarter,
    TownshipYear,
)
from cadre_mgmt.accounts.models import User
from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.models import Cadre, Post, Township, Village
from incentives.models import Commendation
from ranks.models import RankChange
from supervision.models import Investigation, Sanction, VetoEvent

from .reserves import generate_reserves

COPY_CHUNK = 50_000
LEDGER_PER_CADRE = 50
ASSESSMENT_YEARS = 5
BENCH_PASSWORD = "Bench@Password2026"
AREAS = ["党的建设", "乡村振兴与集体经济", "信访维稳", "安全生产", "生态与人居环境"]
PLACE = "东西南北中青石柳桃杏梅兰竹松柏溪河江湖山岭坪岗塘湾桥林泉源丰安宁和平新兴永福康泰"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
GIVEN = "建国志强秀英丽华文军明辉海燕春梅国庆红霞永刚玉兰德胜桂芳晓东小平金凤振华淑珍宏伟雪梅立新美玲卫东翠花长青俊杰"
# Post codes per position inside a village (the default posts of cadres migration 0002).
POST_PLAN = [
    ("party_secretary", "director"),
    ("deputy_secretary",),
    ("accountant",),
    ("member",),
    ("member", "women_chair"),
    ("member", "clerk"),
]
LEDGER_TEXT = {
    "duty_shift": ("值班值守，村委会值班室", "节假日值班", "防汛值守"),
    "household_visit": ("入户走访困难户", "走访独居老人", "走访脱贫监测户"),
    "meeting": ("参加村“两委”会议", "参加乡镇工作例会", "组织党员大会"),
    "assigned_task": ("完成乡镇交办的人口普查任务", "完成医保征缴任务", "完成环境整治任务"),
    "dispute_mediation": ("调解邻里宅基地纠纷", "调解土地流转纠纷", "调解家庭矛盾"),
    "urgent_task": ("参加森林防火扑救", "参加抗洪抢险", "疫情防控值守"),
    "leave": ("事假", "病假", "探亲假"),
    "absence": ("工作日无故不在岗",),
    "commendation": ("群众来信表扬", "乡镇通报表扬"),
    "discipline": ("未按时完成报表", "会议无故缺席"),
}
# Ledger categories by weight (leave ~3%, absence ~0.1%).
LEDGER_MIX = [
    ("duty_shift", 22),
    ("household_visit", 25),
    ("meeting", 20),
    ("assigned_task", 16),
    ("dispute_mediation", 7),
    ("urgent_task", 4),
    ("leave", 3),
    ("absence", 0.1),
    ("commendation", 2),
    ("discipline", 0.9),
]
COMMENDATION_TITLES = {
    "county": ("全县优秀村干部", "县级优秀共产党员", "县乡村振兴先进个人"),
    "city": ("全市优秀村党组织书记", "市级人民调解先进个人"),
    "province": ("全省优秀共产党员", "省级乡村振兴先进个人"),
    "national": ("全国优秀共产党员", "全国脱贫攻坚先进个人"),
}
COMMENDATION_ISSUER = {"county": "县委", "city": "市委", "province": "省委", "national": "中共中央"}
SANCTION_MIX = [
    ("admonition", 30, 6),
    ("org_measure", 15, 6),
    ("party_warning", 20, 12),
    ("party_serious_warning", 12, 18),
    ("gov_warning", 10, 6),
    ("gov_demerit", 8, 12),
    ("gov_major_demerit", 5, 18),
]


def _first_of_month(day):
    return day.replace(day=1)


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _aware(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


class Loader:
    """COPY rows of a model straight into its table, in chunks (flat memory for millions of rows)."""

    def __init__(self, stdout=None):
        self.stdout = stdout
        self.counts = {}

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message + "\n")
            self.stdout.flush()

    def copy(self, model, fields, rows):
        """``fields``: attnames in the order of each row tuple. Returns the number of rows."""
        table = connection.ops.quote_name(model._meta.db_table)
        concrete = {field.attname: field for field in model._meta.concrete_fields}
        columns = [concrete[name].column for name in fields]
        not_null_text = [
            connection.ops.quote_name(concrete[name].column)
            for name in fields
            if isinstance(concrete[name], models.CharField | models.TextField | models.FileField) and not concrete[name].null
        ]
        sql = f"COPY {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) FROM STDIN WITH (FORMAT csv"
        sql += f", FORCE_NOT_NULL ({', '.join(not_null_text)}))" if not_null_text else ")"
        total = 0
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        pending = 0
        with connection.cursor() as cursor:
            for row in rows:
                writer.writerow(row)
                pending += 1
                if pending == COPY_CHUNK:
                    total += self._flush(cursor, sql, buffer, pending)
                    buffer = io.StringIO()
                    writer = csv.writer(buffer)
                    pending = 0
            if pending:
                total += self._flush(cursor, sql, buffer, pending)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + total
        return total

    def _flush(self, cursor, sql, buffer, pending):
        buffer.seek(0)
        cursor.cursor.copy_expert(sql, buffer)
        return pending


class bulk_load:  # noqa: N801 - used as a context manager, reads as a statement
    """Drop a table's foreign keys, unique constraints and secondary indexes; put them back on exit."""

    def __init__(self, *models_to_load):
        self.tables = [model._meta.db_table for model in models_to_load]
        self.restore = []

    def __enter__(self):
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(
                    """
                    SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC, conname
                    """,
                    [table],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    """
                    SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                    WHERE x.indrelid = %s::regclass AND NOT EXISTS (
                        SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x')
                    ) ORDER BY i.relname
                    """,
                    [table],
                )
                indexes = cursor.fetchall()
                quoted = connection.ops.quote_name(table)
                for name, _definition in constraints:
                    cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
                for name, _definition in indexes:
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                # Unique constraints first (foreign keys of other tables may need them), then indexes, then FKs.
                unique = [(n, d) for n, d in constraints if d.startswith("UNIQUE")]
                foreign = [(n, d) for n, d in constraints if not d.startswith("UNIQUE")]
                for name, definition in unique:
                    self.restore.append(f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
                self.restore.extend(definition for _name, definition in indexes)
                for name, definition in foreign:
                    self.restore.append(f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
        return self

    def __exit__(self, exc_type, exc, tb):
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for statement in self.restore:
                cursor.execute(statement)
            cursor.execute("RESET maintenance_work_mem")
        return False


def _next_ids(*models_to_load):
    """The first free id of each table: rows get explicit ids, the sequences are reset at the end."""
    result = {}
    with connection.cursor() as cursor:
        for model in models_to_load:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            result[model] = cursor.fetchone()[0]
    return result


class _Cadre:
    __slots__ = ("id", "township_id", "village_id", "appointed", "left_on", "posts", "grades", "level", "officer_id")

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)

    def in_post_in(self, year):
        started_by_year_end = self.appointed <= datetime.date(year, 12, 31)
        return started_by_year_end and (self.left_on is None or self.left_on >= datetime.date(year, 1, 1))


def _place_names(count, suffix, rng):
    combos = [a + b for a in PLACE for b in PLACE if a != b]
    rng.shuffle(combos)
    names = []
    for index in range(count):
        base = combos[index % len(combos)]
        names.append(f"{base}{suffix}" if index < len(combos) else f"{base}{index // len(combos) + 1}{suffix}")
    return names


def _grade(rng):
    roll = rng.random()
    if roll < 0.15:
        return "excellent", Decimal(rng.randint(9000, 9800)) / 100
    if roll < 0.92:
        return "competent", Decimal(rng.randint(7500, 8999)) / 100
    if roll < 0.98:
        return "basically_competent", Decimal(rng.randint(6000, 7499)) / 100
    return "incompetent", Decimal(rng.randint(4500, 5999)) / 100


def _around(rng, score, spread=6):
    value = score + Decimal(rng.randint(-spread * 100, spread * 100)) / 100
    return min(Decimal(100), max(Decimal(0), value)).quantize(Decimal("0.01"))


def generate(*, scale, stdout=None, seed=20260101, today=None, ledger_per_cadre=LEDGER_PER_CADRE):
    """Load a synthetic county of ``scale`` cadres into the default database (PostgreSQL). Returns counts."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the benchmark data is loaded with COPY: PostgreSQL only")
    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or timezone.localdate()
    loader = Loader(stdout)
    years = list(range(today.year - ASSESSMENT_YEARS, today.year))
    with connection.cursor() as cursor:
        # Inside a test transaction: fire the deferred checks now so that the tables can be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL synchronous_commit = off" if connection.in_atomic_block else "SET synchronous_commit = off")

    township_count = max(2, round(scale / 1000))
    village_count = max(township_count * 2, round(scale / 50))

    # Organisation and users: a few thousand rows, the ORM's bulk_create is enough.
    townships = Township.objects.bulk_create(
        [Township(name=name, sort_order=index) for index, name in enumerate(_place_names(township_count, "镇", rng))]
    )
    village_names = _place_names(village_count, "村", rng)
    villages = Village.objects.bulk_create(
        [
            Village(township=townships[v * township_count // village_count], name=village_names[v], sort_order=v)
            for v in range(village_count)
        ]
    )
    password = make_password(BENCH_PASSWORD)
    county = [
        ("bench_county_admin", User.Role.COUNTY_ADMIN, True),
        ("bench_county_approver", User.Role.COUNTY_APPROVER, False),
        ("bench_supervisor", User.Role.SUPERVISOR, False),
        ("bench_finance", User.Role.FINANCE, False),
    ]
    users = User.objects.bulk_create(
        [User(username=name, role=role, is_staff=staff, password=password, full_name=name) for name, role, staff in county]
        + [
            User(
                username=f"bench_township_{index + 1:03d}",
                role=User.Role.TOWNSHIP_STAFF,
                township=township,
                password=password,
                full_name=f"{township.name} 组织委员",
            )
            for index, township in enumerate(townships)
        ]
    )
    approver = users[1]
    supervisor = users[2]
    officers = {user.township_id: user for user in users[4:]}
    posts = dict(Post.objects.values_list("code", "pk"))
    loader.log(f"organisation: {township_count} townships, {village_count} villages, {len(users)} users")

    # Cadres -----------------------------------------------------------------------------------------
    ids = _next_ids(Cadre, Cadre.posts.through, RankChange, AnnualReview, QuarterScore, LedgerEntry)
    cadres = []
    now = timezone.now()
    per_village = [0] * village_count

    def cadre_rows():
        cadre_id = ids[Cadre]
        for index in range(scale):
            v = index * village_count // scale
            village = villages[v]
            position = per_village[v]
            per_village[v] += 1
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 38 * 365))
            gender_digit = rng.choice("13579") if rng.random() < 0.7 else rng.choice("02468")
            # Unique by construction (up to a million cadres): the region carries index // 100, the serial index % 100.
            first17 = f"99{index // 100 % 10000:04d}{birth:%Y%m%d}{index % 100:02d}{gender_digit}"
            number = first17 + idnumbers.check_digit(first17)
            facts = idnumbers.parse_id_number(number)
            earliest = max(birth.replace(year=birth.year + 22, day=1), datetime.date(1995, 1, 1))
            appointed = earliest + datetime.timedelta(days=rng.randint(0, max(1, (today - earliest).days - 200)))
            if rng.random() < 0.6:  # most cadres have served for years before the review period
                appointed = min(appointed, datetime.date(2019, 12, 31) - datetime.timedelta(days=rng.randint(0, 3650)))
            appointed = max(appointed, earliest)
            left_on = None
            if rng.random() < 0.015:
                left_on = appointed + datetime.timedelta(days=rng.randint(200, max(201, (today - appointed).days - 30)))
                left_on = min(left_on, today - datetime.timedelta(days=40))
                left_on = max(left_on, appointed)
            cadre = _Cadre(
                id=cadre_id,
                township_id=village.township_id,
                village_id=village.pk,
                appointed=appointed,
                left_on=left_on,
                posts=POST_PLAN[position % len(POST_PLAN)] if position < len(POST_PLAN) else ("member",),
                grades={},
                level=13,
                officer_id=officers[village.township_id].pk,
            )
            cadres.append(cadre)
            yield (
                cadre_id,
                village.township_id,
                village.pk,
                rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else ""),
                facts.gender,
                "汉族" if rng.random() < 0.9 else rng.choice(("壮族", "回族", "苗族", "土家族", "彝族")),
                facts.birth_date,
                idnumbers.encrypt_id_number(number),
                idnumbers.hash_id_number(number),
                idnumbers.mask_id_number(number),
                f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}",
                rng.choices(("party_member", "probationary", "masses", "league"), (80, 5, 12, 3))[0],
                rng.choices(("junior", "senior", "college", "bachelor"), (15, 40, 30, 15))[0],
                appointed,
                rng.choice((0, 0, 0, 1, 2, 3, 5)),
                "left" if left_on else "in_post",
                left_on,
                "换届离任" if left_on else "",
                now,
                now,
            )
            cadre_id += 1

    cadre_fields = (
        "id",
        "township_id",
        "village_id",
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "id_number_encrypted",
        "id_number_hash",
        "id_number_masked",
        "phone",
        "political_status",
        "education",
        "first_appointed_on",
        "prior_service_years",
        "status",
        "left_on",
        "left_reason",
        "created_at",
        "updated_at",
    )
    through = Cadre.posts.through
    with bulk_load(Cadre, through):
        loader.copy(Cadre, cadre_fields, cadre_rows())

        def post_rows():
            row_id = ids[through]
            for cadre in cadres:
                for code in cadre.posts:
                    yield (row_id, cadre.id, posts[code])
                    row_id += 1

        loader.copy(through, ("id", "cadre_id", "post_id"), post_rows())
    loader.log(f"cadres: {len(cadres)} ({time.perf_counter() - started:.0f} s)")

    # Assessments: five finished years -----------------------------------------------------------------
    officer_by_township = {township_id: user.pk for township_id, user in officers.items()}
    TownshipYear.objects.bulk_create(
        [
            TownshipYear(
                township=township,
                year=year,
                status=TownshipYear.Status.CONFIRMED,
                finalized_by_id=officer_by_township[township.pk],
                finalized_at=_aware(datetime.date(year + 1, 1, 10)),
                confirmed_by=approver,
                confirmed_at=_aware(datetime.date(year + 1, 1, 20)),
            )
            for township in townships
            for year in years
        ]
    )
    township_years = {(ty.township_id, ty.year): ty.pk for ty in TownshipYear.objects.filter(year__in=years)}
    quarters = TownshipQuarter.objects.bulk_create(
        [
            TownshipQuarter(
                township=township,
                year=year,
                quarter=quarter,
                status=TownshipQuarter.Status.CLOSED,
                closed_by_id=officer_by_township[township.pk],
                closed_at=_aware(_add_months(datetime.date(year, quarter * 3, 1), 1) + datetime.timedelta(days=9)),
            )
            for township in townships
            for year in years
            for quarter in (1, 2, 3, 4)
        ]
    )
    areas = QuarterArea.objects.bulk_create(
        [
            QuarterArea(township_quarter=tq, name=name, weight=Decimal(100) / len(AREAS), sort_order=order)
            for tq in quarters
            for order, name in enumerate(AREAS)
        ]
    )
    areas_of = {}
    for area in areas:
        areas_of.setdefault(area.township_quarter_id, []).append(area.pk)
    quarter_ids = {(tq.township_id, tq.year, tq.quarter): tq.pk for tq in quarters}

    def review_rows():
        review_id = ids[AnnualReview]
        for cadre in cadres:
            for year in years:
                if not cadre.in_post_in(year):
                    continue
                grade, score = _grade(rng)
                cadre.grades[year] = (grade, score)
                mass = _around(rng, score, 8)
                if grade == "competent" and rng.random() < 0.02:
                    mass = Decimal(rng.randint(5500, 6999)) / 100  # below the satisfaction threshold
                yield (
                    review_id,
                    township_years[(cadre.township_id, year)],
                    cadre.id,
                    year,
                    _around(rng, score),
                    _around(rng, score),
                    mass,
                    _around(rng, score, 4),
                    _around(rng, score, 4),
                    _around(rng, score, 4),
                    score,
                    grade,
                    False,
                    False,
                    now,
                )
                review_id += 1

    review_fields = (
        "id",
        "township_year_id",
        "cadre_id",
        "year",
        "political_score",
        "business_score",
        "mass_score",
        "ledger_component",
        "quarters_component",
        "review_component",
        "score",
        "grade",
        "vetoed",
        "capped",
        "updated_at",
    )
    with bulk_load(AnnualReview):
        loader.copy(AnnualReview, review_fields, review_rows())
    loader.log(f"annual reviews: {loader.counts[AnnualReview._meta.label]} ({time.perf_counter() - started:.0f} s)")

    def score_rows():
        score_id = ids[QuarterScore]
        for cadre in cadres:
            for year, (_grade_code, score) in cadre.grades.items():
                for quarter in (1, 2, 3, 4):
                    for area_id in areas_of[quarter_ids[(cadre.township_id, year, quarter)]]:
                        yield (score_id, area_id, cadre.id, _around(rng, score, 5), now)
                        score_id += 1

    with bulk_load(QuarterScore):
        loader.copy(QuarterScore, ("id", "area_id", "cadre_id", "score", "updated_at"), score_rows())
    loader.log(f"quarter scores: {loader.counts[QuarterScore._meta.label]} ({time.perf_counter() - started:.0f} s)")

    # Rank history: everyone graded, promotions every few years for the good, a few demotions ------------
    def rank_rows():
        change_id = ids[RankChange]
        for cadre in cadres:
            start = max(datetime.date(years[0], 1, 1), _add_months(_first_of_month(cadre.appointed), 1))
            if start > today or (cadre.left_on is not None and cadre.left_on < start):
                start = _add_months(_first_of_month(cadre.appointed), 1)
            served = max(0, (start - cadre.appointed).days // 365) + rng.choice((0, 0, 1, 2, 3))
            level = 13 - min(3, served // 3)
            approved = start - datetime.timedelta(days=rng.randint(5, 20))
            at = _aware(approved)
            yield (change_id, cadre.id, "initial_grading", None, level, approver.pk, at, start, "按任职年限初始定级", "", at)
            change_id += 1
            for year in years[1:]:
                effective = datetime.date(year + 1, 1, 1) if year + 1 <= today.year else None
                if effective is None or effective <= start or (cadre.left_on is not None and cadre.left_on < effective):
                    continue
                grade = cadre.grades.get(year, (None,))[0]
                previous = cadre.grades.get(year - 1, (None,))[0]
                approved = effective - datetime.timedelta(days=rng.randint(3, 25))
                if grade == "incompetent" and level < 13:
                    kind, to_level, reason = "demotion", level + 1, f"{year}年度考核不称职，降一级"
                elif (
                    grade in ("excellent", "competent")
                    and previous in ("excellent", "competent")
                    and level > 4
                    and rng.random() < 0.35
                ):
                    kind, to_level, reason = "promotion", level - 1, f"{year}年度晋升审核通过"
                else:
                    continue
                at = _aware(approved)
                yield (change_id, cadre.id, kind, level, to_level, approver.pk, at, effective, reason, "", at)
                change_id += 1
                level = to_level
            cadre.level = level

    rank_fields = (
        "id",
        "cadre_id",
        "kind",
        "from_level",
        "to_level",
        "approved_by_id",
        "approved_at",
        "effective_month",
        "reason",
        "source",
        "created_at",
    )
    with bulk_load(RankChange):
        loader.copy(RankChange, rank_fields, rank_rows())
    loader.log(f"rank changes: {loader.counts[RankChange._meta.label]} ({time.perf_counter() - started:.0f} s)")

    # Ledger: ledger_per_cadre entries per cadre over the years up to today -----------------------------
    categories = {row.code: row for row in LedgerCategory.objects.all()}
    mix = [code for code, _weight in LEDGER_MIX if code in categories]
    weights = [weight for code, weight in LEDGER_MIX if code in categories]
    first_day = datetime.date(years[0], 1, 1)

    def ledger_rows():
        entry_id = ids[LedgerEntry]
        cumulative = []
        total_weight = 0
        for weight in weights:
            total_weight += weight
            cumulative.append(total_weight)
        choose = rng.choices
        randint = rng.randint
        rand = rng.random
        for cadre in cadres:
            start = max(first_day, cadre.appointed)
            end = min(today, cadre.left_on or today)
            span = (end - start).days
            if span < 0:
                continue
            for code in choose(mix, cum_weights=cumulative, k=ledger_per_cadre):
                category = categories[code]
                day = start + datetime.timedelta(days=randint(0, span))
                score_change = None
                if code == "commendation":
                    score_change = Decimal(randint(1, 3))
                elif code in ("discipline", "absence"):
                    score_change = Decimal(-randint(1, 5))
                elif rand() < 0.1:
                    score_change = Decimal(randint(1, 4)) / 2
                texts = LEDGER_TEXT.get(code, ("工作记录",))
                yield (
                    entry_id,
                    cadre.township_id,
                    cadre.id,
                    category.pk,
                    day,
                    texts[randint(0, len(texts) - 1)],
                    "已完成" if code not in ("leave", "absence") else "",
                    score_change,
                    randint(1, 5) if category.kind == LedgerCategory.Kind.LEAVE else None,
                    "",
                    "",
                    None,
                    cadre.officer_id,
                    f"{day} 18:00:00+08:00",  # recorded the evening of the day
                    f"{day} 18:00:00+08:00",
                )
                entry_id += 1

    ledger_fields = (
        "id",
        "township_id",
        "cadre_id",
        "category_id",
        "date",
        "description",
        "outcome",
        "score_change",
        "leave_days",
        "attachment",
        "attachment_name",
        "batch",
        "recorded_by_id",
        "created_at",
        "updated_at",
    )
    with bulk_load(LedgerEntry):
        loader.copy(LedgerEntry, ledger_fields, ledger_rows())
    loader.log(f"ledger entries: {loader.counts[LedgerEntry._meta.label]} ({time.perf_counter() - started:.0f} s)")

    # Commendations, sanctions, investigations, vetoes: a few percent of cadres ---------------------------
    commendations = []
    sanctions = []
    investigations = []
    vetoes = []
    for cadre in cadres:
        if rng.random() < 0.03:
            level = rng.choices(("county", "city", "province", "national"), (70, 20, 8, 2))[0]
            commendations.append(
                Commendation(
                    township_id=cadre.township_id,
                    cadre_id=cadre.id,
                    level=level,
                    title=rng.choice(COMMENDATION_TITLES[level]),
                    issuer=COMMENDATION_ISSUER[level],
                    awarded_on=datetime.date(rng.choice(years), rng.randint(1, 12), rng.randint(1, 28)),
                    recorded_by_id=cadre.officer_id,
                )
            )
        if rng.random() < 0.015:
            severity, months = rng.choices([(s, m) for s, _w, m in SANCTION_MIX], [w for _s, w, _m in SANCTION_MIX])[0]
            decided = max(cadre.appointed, first_day) + datetime.timedelta(days=rng.randint(0, 1500))
            decided = min(decided, today)
            sanctions.append(
                Sanction(
                    cadre_id=cadre.id,
                    severity=severity,
                    decided_on=decided,
                    effective_until=_add_months(_first_of_month(decided), months) - datetime.timedelta(days=1),
                    decided_by_body="县纪委监委",
                    description="违反工作纪律，造成不良影响",
                    recorded_by=supervisor,
                )
            )
        if rng.random() < 0.008:
            opened = today - datetime.timedelta(days=rng.randint(20, 900))
            closed = opened + datetime.timedelta(days=rng.randint(30, 200)) if rng.random() < 0.6 else None
            closed = closed if closed is not None and closed < today else None
            investigations.append(
                Investigation(
                    cadre_id=cadre.id,
                    opened_on=opened,
                    description="涉嫌违规使用集体资金",
                    suspended=closed is None and rng.random() < 0.3,
                    closed_on=closed,
                    conclusion="查无实据，予以了结" if closed else "",
                    recorded_by=supervisor,
                    closed_by=supervisor if closed else None,
                )
            )
        if rng.random() < 0.004:
            year = rng.choice(years)
            vetoes.append(
                VetoEvent(
                    cadre_id=cadre.id,
                    year=year,
                    occurred_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    kind=VetoEvent.Kind.OTHER,
                    reason="辖区发生较大安全生产事故",
                    recorded_by=supervisor,
                )
            )
    for v, village in enumerate(villages):
        if rng.random() < 0.05:
            commendations.append(
                Commendation(
                    township_id=village.township_id,
                    village_id=village.pk,
                    level="county",
                    title="先进基层党组织",
                    issuer="县委",
                    awarded_on=datetime.date(years[v % len(years)], 7, 1),
                    recorded_by_id=officers[village.township_id].pk,
                )
            )
    Commendation.objects.bulk_create(commendations, batch_size=2000)
    Sanction.objects.bulk_create(sanctions, batch_size=2000)
    Investigation.objects.bulk_create(investigations, batch_size=2000)
    VetoEvent.objects.bulk_create(vetoes, batch_size=2000)
    loaded = ((Commendation, commendations), (Sanction, sanctions), (Investigation, investigations), (VetoEvent, vetoes))
    for model, rows in loaded:
        loader.counts[model._meta.label] = len(rows)

    loader.counts["reserves"] = generate_reserves(villages=villages, officers=officers, scale=scale, today=today, log=loader.log)

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Cadre, through, RankChange, AnnualReview, QuarterScore, LedgerEntry]
        ):
            cursor.execute(statement)
        cursor.execute("ANALYZE")
    loader.counts.update(
        {
            "townships": township_count,
            "villages": village_count,
            "cadres": len(cadres),
            "cadres_in_post": sum(1 for cadre in cadres if cadre.left_on is None),
            "ledger_entries": loader.counts.get(LedgerEntry._meta.label, 0),
            "generate_seconds": round(time.perf_counter() - started, 1),
        }
    )
    loader.log(f"generated in {loader.counts['generate_seconds']} s")
    return loader.counts
