"""Reads of the mass evaluation: scoped rounds, their results (tallies only, the threshold applied), the slips' counts."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import scope_for_user, township_allowed_for_user

from . import rules
from .models import Ballot, EvaluationCode, EvaluationRound, PaperTally, RoundCadre, SlipBatch


def can_read_evaluation(user: User) -> bool:
    """Township staff (their township) and the county approvers, like the assessment pages."""
    return user.is_authenticated and (user.is_township_staff or user.is_county_approver)


def can_read_comments(user: User) -> bool:
    """Villagers' comments are for the county only, never the township or the cadre (DESIGN §11)."""
    return user.is_authenticated and user.is_county_approver


def can_write_round(user: User, round_: EvaluationRound) -> bool:
    return township_allowed_for_user(user, round_.township_id) and round_.is_open


def can_open_rounds(user: User) -> bool:
    """Township staff open their villages' rounds; the county administrator any village's."""
    return user.is_authenticated and (user.is_township_staff or user.is_county_admin)


def township_allowed(user: User, round_: EvaluationRound) -> bool:
    return township_allowed_for_user(user, round_.township_id)


def rounds_for_user(*, user: User) -> QuerySet[EvaluationRound]:
    if not can_read_evaluation(user):
        return EvaluationRound.objects.none()
    return scope_for_user(EvaluationRound.objects.select_related("township", "village"), user)


def _code_count(**status: str) -> Subquery:
    codes = EvaluationCode.objects.filter(round=OuterRef("pk"), **status).order_by().values("round")
    return Subquery(codes.annotate(n=Count("pk")).values("n")[:1])


def rounds_with_counts(*, user: User) -> QuerySet[EvaluationRound]:
    """The rounds with their slips' counts (issued, used, voided) in the same query: the list page and the API."""
    return rounds_for_user(user=user).annotate(
        slips_issued=Coalesce(_code_count(), 0),
        slips_used=Coalesce(_code_count(status=EvaluationCode.Status.USED), 0),
        slips_voided=Coalesce(_code_count(status=EvaluationCode.Status.VOIDED), 0),
    )


def round_for_user(*, user: User, pk: int) -> EvaluationRound:
    found = rounds_for_user(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def code_row(digest: str) -> EvaluationCode | None:
    """The ballot page's one lookup: the code with its round and village."""
    return EvaluationCode.objects.select_related("round__village", "round__township").filter(digest=digest).first()


def ballot_cadres(round_id: int) -> list:
    return list(
        RoundCadre.objects.filter(round_id=round_id)
        .select_related("cadre")
        .order_by("cadre__name", "cadre_id")
        .only("cadre_id", "cadre__name", "round_id")
    )


@dataclass
class ResultRow:
    subject: RoundCadre
    tally: rules.Tally
    paper: PaperTally | None
    min_ballots: int

    @property
    def shown(self) -> bool:
        return rules.shown(self.tally, self.min_ballots)

    @property
    def satisfaction(self) -> Decimal | None:
        return rules.satisfaction(self.tally) if self.shown else None

    @property
    def source(self) -> str:
        if self.subject.override_score is not None:
            return rules.override_source(self.subject.override_reason)
        value = self.satisfaction
        return rules.villager_source(self.tally.ballots, value) if value is not None else ""


@dataclass
class BatchRow:
    batch: SlipBatch
    used: int
    voided: int

    @property
    def unused(self) -> int:
        return self.batch.count - self.used - self.voided


@dataclass
class RoundResults:
    round: EvaluationRound
    rows: list[ResultRow]
    issued: int = 0
    used: int = 0
    voided: int = 0
    paper_ballots: int = 0
    batches: list[BatchRow] = field(default_factory=list)

    @property
    def has_paper(self) -> bool:
        return any(row.paper is not None for row in self.rows)

    @property
    def turnout(self) -> Decimal | None:
        valid = self.issued - self.voided
        if valid <= 0:
            return None
        return (Decimal(self.used) * 100 / Decimal(valid)).quantize(Decimal("0.1"))

    def chart(self) -> dict:
        """The chart's data: shown results only, in the table's order (by name, never ranked)."""
        shown = [row for row in self.rows if row.shown]
        return {
            "names": [row.subject.cadre.name for row in shown],
            "satisfied": [row.tally.satisfied for row in shown],
            "basically": [row.tally.basically for row in shown],
            "dissatisfied": [row.tally.dissatisfied for row in shown],
        }


def _counts(round_: EvaluationRound) -> dict[int, dict]:
    per_batch = (
        EvaluationCode.objects.filter(round=round_)
        .values("batch_id")
        .annotate(
            total=Count("pk"),
            used=Count("pk", filter=Q(status=EvaluationCode.Status.USED)),
            voided=Count("pk", filter=Q(status=EvaluationCode.Status.VOIDED)),
        )
    )
    return {row["batch_id"]: row for row in per_batch}


def round_results(round_: EvaluationRound) -> RoundResults:
    """Per cadre: the online tallies plus the confirmed paper tally, shown only from the threshold on.
    Four queries whatever the number of cadres and ballots."""
    subjects = list(RoundCadre.objects.filter(round=round_).select_related("cadre").order_by("cadre__name", "cadre_id"))
    papers = {p.cadre_id: p for p in PaperTally.objects.filter(round=round_).select_related("entered_by", "confirmed_by")}
    rows = []
    for subject in subjects:
        tally = rules.Tally(subject.satisfied, subject.basically, subject.dissatisfied)
        paper = papers.get(subject.cadre_id)
        if paper is not None and paper.is_confirmed:
            tally = tally + rules.Tally(paper.satisfied, paper.basically, paper.dissatisfied)
        rows.append(ResultRow(subject=subject, tally=tally, paper=paper, min_ballots=round_.min_ballots))
    counts = _counts(round_)
    batches = [
        BatchRow(batch, counts.get(batch.pk, {}).get("used", 0), counts.get(batch.pk, {}).get("voided", 0))
        for batch in round_.batches.select_related("issued_by").order_by("number")
    ]
    confirmed = [p for p in papers.values() if p.is_confirmed]
    return RoundResults(
        round=round_,
        rows=rows,
        issued=sum(b.batch.count for b in batches),
        used=sum(b.used for b in batches),
        voided=sum(b.voided for b in batches),
        paper_ballots=max((p.satisfied + p.basically + p.dissatisfied for p in confirmed), default=0),
        batches=batches,
    )


def round_comments(*, user: User, round_: EvaluationRound) -> list[str]:
    """The villagers' comments (county only), in no particular order and without any date."""
    if not can_read_comments(user):
        return []
    return sorted(Ballot.objects.filter(round=round_).exclude(comment="").values_list("comment", flat=True))
