"""The proposal rows of one batch: written in a few statements (new ones inserted as plain rows, changed
ones bulk-updated), decided ones kept as they were."""

from django.utils import timezone

from cadre_mgmt.bulkinsert import insert_rows
from cadre_mgmt.lookups import ids_in

from ..models import Proposal
from . import rules as review_rules
from .facts import explanation_json, explanation_text, text_digest

WRITE_BATCH = 500

PROPOSAL_UPDATE_FIELDS = [
    "review",
    "township",
    "outcome",
    "from_level",
    "to_level",
    "points_used",
    "dismissal_recommended",
    "review_date",
    "explanation",
    "digest",
    "status",
    "submitted_by",
    "submitted_at",
    "evaluated_at",
]


# A new proposal's columns, in the order write_proposals builds its rows (the rest take their defaults:
# empty remarks and notes, no submission, no decision).
PROPOSAL_INSERT_COLUMNS = (
    "review_id",
    "year",
    "cadre_id",
    "township_id",
    "outcome",
    "from_level",
    "to_level",
    "points_used",
    "dismissal_recommended",
    "review_date",
    "explanation",
    "digest",
    "status",
    "evaluated_at",
)


def write_proposals(review, township_id, ids, evaluations):
    """Create or refresh the proposals of one batch (cadres ``ids``, their ``evaluations`` in the same
    order, possibly still being computed). Decided proposals are never touched.

    The proposals concerned are locked first, so an approval cannot slip between the read and the write.
    New proposals stream into one COPY as they are evaluated: the database stores the first ones while
    the rules work on the next. Rows are built from the rules' validated output and checked by the
    database constraints; a ``full_clean()`` per row would cost several queries each on a 100,000-cadre
    run. The audit trail is one record per batch (in ``_batch_write``) plus the run and evaluation time
    kept on each proposal.
    """
    now = timezone.now()
    existing = {}
    for start in range(0, len(ids), WRITE_BATCH * 4):
        rows = (
            Proposal.objects.select_for_update(of=("self",))
            .filter(ids_in("cadre_id", ids[start : start + WRITE_BATCH * 4]), year=review.year)
            .order_by()  # the default order would join (and lock) cadres and villages
            .values_list(
                "pk", "cadre_id", "status", "outcome", "to_level", "digest", "township_id", "submitted_by_id", "submitted_at"
            )
        )
        existing.update({row[1]: row for row in rows})
    updated = []
    counts = {"unchanged": 0, "decided_kept": 0}

    def new_rows():
        """COPY rows (PROPOSAL_INSERT_COLUMNS) of the new proposals; the others are sorted out on the way."""
        for evaluation in evaluations:
            cadre_id = evaluation.cadre_id
            explanation = explanation_json(evaluation)
            text = explanation_text(explanation)
            digest = text_digest(text)
            hold = evaluation.outcome == review_rules.HOLD
            status = Proposal.Status.NO_ACTION if hold else Proposal.Status.PENDING
            old = existing.get(cadre_id)
            if old is None:
                # A new proposal has no remarks, submission or decision yet.
                yield (
                    review.pk,
                    review.year,
                    cadre_id,
                    township_id,
                    evaluation.outcome,
                    evaluation.from_level,
                    evaluation.to_level,
                    evaluation.points_used,
                    evaluation.dismissal_recommended,
                    review.review_date,
                    text,
                    digest,
                    status,
                    now,
                )
                continue
            pk, _cadre_id, old_status, outcome, to_level, old_digest, old_township, submitted_by_id, submitted_at = old
            if old_status in Proposal.DECIDED:  # approved, returned to the township, closed
                counts["decided_kept"] += 1
                continue
            if old_digest == digest and old_township == township_id:
                counts["unchanged"] += 1
                continue
            proposal = Proposal(
                pk=pk,
                review=review,
                year=review.year,
                cadre_id=cadre_id,
                township_id=township_id,
                outcome=evaluation.outcome,
                from_level=evaluation.from_level,
                to_level=evaluation.to_level,
                points_used=evaluation.points_used,
                dismissal_recommended=evaluation.dismissal_recommended,
                review_date=review.review_date,
                explanation=explanation,
                digest=digest,
                status=status,
                evaluated_at=now,
            )
            # A submitted proposal stays submitted if the verdict is the same; otherwise the township checks again.
            same_verdict = (outcome, to_level) == (evaluation.outcome, evaluation.to_level)
            if not hold and old_status == Proposal.Status.SUBMITTED and same_verdict:
                proposal.status = Proposal.Status.SUBMITTED
                proposal.submitted_by_id, proposal.submitted_at = submitted_by_id, submitted_at
            updated.append(proposal)

    created = insert_rows(Proposal, PROPOSAL_INSERT_COLUMNS, new_rows())
    if updated:
        Proposal.objects.bulk_update(updated, PROPOSAL_UPDATE_FIELDS, batch_size=WRITE_BATCH)
    return {"created": created, "updated": len(updated), **counts}
