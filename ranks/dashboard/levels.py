"""Dashboard: in-post cadres by township and level, today and next month, from one grouped query."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    OrderBy,
    Q,
    Window,
)
from django.db.models.functions import RowNumber

from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.cadres.models import Cadre, Township
from cadre_mgmt.cadres.selectors import posts_in_rank_system_q

from ..ladder import rules
from ..models import InitialGrading, Proposal, RankChange


@dataclass(frozen=True)
class TownshipRef:
    id: int
    name: str


@dataclass(frozen=True)
class LevelRow:
    level: int | None  # None: no rank history yet (paid as level 13)
    counts: tuple  # per township, in the order of LevelTable.townships
    total: int


@dataclass(frozen=True)
class LevelTable:
    townships: tuple
    rows: tuple  # levels 1 (highest) … 13, then "no level yet"
    totals: tuple  # per township
    total: int

    @property
    def shown_rows(self) -> tuple:
        """From the highest level anyone holds down to 13, then "no level yet": empty top rungs are left out."""
        occupied = [row.level for row in self.rows if row.level is not None and row.total]
        top = min(occupied, default=rules.LOWEST_LEVEL)
        return tuple(row for row in self.rows if row.level is None or row.level >= top)


@dataclass(frozen=True)
class LevelGroup:
    """In-post cadres of one township sharing the same figures; ``cadre_level_groups`` counts them."""

    township: TownshipRef
    sort_order: int
    paid: bool  # holds a paid post (the allowance is theirs)
    level: int | None  # in force on the day asked; None: no rank history yet
    level_next_month: int | None  # in force on the first of next month
    pending_level: int | None  # awaiting the county: a submitted proposal, else a submitted initial grading
    n: int


def _as_sql(queryset):
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _latest_per_cadre(queryset, order, **columns):
    """One row per cadre: its first row in ``order`` (a descending ``cadre_id`` leads), with ``columns``.

    PostgreSQL takes DISTINCT ON, which walks rank_change_cadre_month_idx backwards with no sort; a
    ROW_NUMBER window elsewhere (three times slower on PostgreSQL: its window node, then a sort)."""
    queryset = queryset.order_by()
    if connection.features.can_distinct_on_fields:
        return queryset.order_by(*order).distinct("cadre_id").values("cadre_id", **columns)
    ordering = [OrderBy(F(name.lstrip("-")), descending=name.startswith("-")) for name in order[1:]]
    number = Window(RowNumber(), partition_by=[F("cadre_id")], order_by=ordering)
    return queryset.annotate(row_number=number).filter(row_number=1).values("cadre_id", **columns)


# Only Django's compiled SQL goes into the braces (cadre_level_groups); every value travels as a parameter.
LEVEL_GROUPS_SQL = """
        SELECT x.township_id, t.name, t.sort_order, x.paid, x.level, x.level_next, x.pending, x.n
        FROM (
            SELECT c.township_id, c.paid,
                   CASE WHEN l.after_day THEN d.level ELSE l.level END AS level,
                   l.level AS level_next, COALESCE(p.level, g.level) AS pending, COUNT(*) AS n
            FROM ({}) c
            LEFT JOIN ({}) l ON l.cadre_id = c.id
            LEFT JOIN ({}) d ON d.cadre_id = c.id
            LEFT JOIN ({}) p ON p.cadre_id = c.id
            LEFT JOIN ({}) g ON g.cadre_id = c.id
            GROUP BY 1, 2, 3, 4, 5
        ) x
        JOIN ({}) t ON t.id = x.township_id
    """


def cadre_level_groups(*, user, day, next_month=None) -> list[LevelGroup]:
    """In-post cadres on the user's scope counted per township, paid post, level on ``day``, level on
    ``next_month`` (default: the month after ``day``) and the level awaiting approval. One query.

    Every cadre's latest rank change up to next month (``_latest_per_cadre``) is joined to the cadres;
    the level on ``day`` differs only for the few cadres with a change taking effect after ``day``, whose
    latest change up to ``day`` is read apart. Each correlated subquery per cadre would cost more than
    the scan itself (see the module's note on JIT), hence ``IN`` for the paid posts and joins for the
    rest."""
    next_month = next_month or rules.add_months(rules.first_of_month(day), 1)
    # "Paid" is the rank allowance's rule (DESIGN §2): a post in the rank system for next month's roster.
    paid_posts = Cadre.posts.through.objects.filter(posts_in_rank_system_q(next_month, prefix="post__"))
    paid_cadres = scope_for_user(paid_posts, user, township_field="cadre__township").values("cadre_id")
    cadres = (
        scope_for_user(Cadre.objects.filter(status=Cadre.Status.IN_POST), user, township_field="township")
        .order_by()
        .values("id", "township_id", paid=ExpressionWrapper(Q(pk__in=paid_cadres), output_field=BooleanField()))
    )
    changes = scope_for_user(RankChange.objects.all(), user, township_field="cadre__township")
    by_recency = ("-cadre_id", "-effective_month", "-id")
    latest = _latest_per_cadre(
        changes.filter(effective_month__lte=next_month),
        by_recency,
        level=F("to_level"),
        after_day=ExpressionWrapper(Q(effective_month__gt=day), output_field=BooleanField()),
    )
    changed_after_day = changes.filter(effective_month__gt=day, effective_month__lte=next_month).values("cadre_id")
    on_day = _latest_per_cadre(
        changes.filter(effective_month__lte=day, cadre_id__in=changed_after_day), by_recency, level=F("to_level")
    )
    # Of a cadre's submitted proposals (one a year), the one budget_figures met last in Proposal's
    # ordering: (township, …, id).
    proposals = _latest_per_cadre(
        scope_for_user(Proposal.objects.filter(status=Proposal.Status.SUBMITTED), user, township_field="township"),
        ("-cadre_id", "-township__sort_order", "-township__name", "-id"),
        level=F("to_level"),
    )
    gradings = (
        InitialGrading.objects.filter(status=InitialGrading.Status.SUBMITTED)
        .order_by()
        .values("cadre_id", level=F("proposed_level"))
    )
    townships = Township.objects.order_by().values("id", "name", "sort_order")
    try:
        parts = [_as_sql(qs) for qs in (cadres, latest, on_day, proposals, gradings, townships)]
    except EmptyResultSet:
        return []
    # Only Django's compiled SQL is put together here; every value travels as a parameter. The
    # townships' names join the few grouped rows, not every cadre.
    sql = LEVEL_GROUPS_SQL.format(*(part_sql for part_sql, _params in parts))
    params = [param for _sql, part_params in parts for param in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        LevelGroup(TownshipRef(pk, name), order, bool(paid), level, level_next, pending, n)
        for pk, name, order, paid, level, level_next, pending, n in rows
    ]


def cadres_by_level(*, user, day, groups=None) -> LevelTable:
    """Cadres in post on the user's scope, per township and the level in force on ``day``, from
    ``cadre_level_groups`` (read here when not given)."""
    groups = cadre_level_groups(user=user, day=day) if groups is None else groups
    townships, counts = {}, defaultdict(int)
    for group in groups:
        townships[group.township.id] = (group.sort_order, group.township.name)
        counts[(group.township.id, group.level)] += group.n
    order = sorted(townships, key=lambda pk: (*townships[pk], pk))
    levels = [*range(rules.HIGHEST_LEVEL, rules.LOWEST_LEVEL + 1), None]
    table_rows = []
    for level in levels:
        per_township = tuple(counts[(pk, level)] for pk in order)
        table_rows.append(LevelRow(level=level, counts=per_township, total=sum(per_township)))
    totals = tuple(sum(counts[(pk, level)] for level in levels) for pk in order)
    return LevelTable(
        townships=tuple(TownshipRef(pk, townships[pk][1]) for pk in order),
        rows=tuple(table_rows),
        totals=totals,
        total=sum(totals),
    )
