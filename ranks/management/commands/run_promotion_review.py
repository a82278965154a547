from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ranks.models import PromotionReview
from ranks.review import rules as review_rules
from ranks.review import services as review_services


class Command(BaseCommand):
    help = (
        "Run the promotion review of a year for every cadre in post and print the counts by outcome. "
        "--dry-run shows the result without writing proposals. Runs in this process unless --queue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="the assessment year (default: the year just ended)")
        parser.add_argument("--dry-run", action="store_true", help="evaluate only: write no proposal")
        parser.add_argument("--queue", action="store_true", help="hand the batches to the Celery workers and return")

    def handle(self, *args, **options):
        year = options["year"] or timezone.localdate().year - 1
        try:
            review = review_services.review_start(
                year=year,
                dry_run=options["dry_run"],
                trigger=PromotionReview.Trigger.COMMAND,
                enqueue=options["queue"],
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        kind = "试运行（不写入评审建议）" if review.dry_run else "评审"
        if options["queue"]:
            self.stdout.write(f"{year} 年度晋升{kind}已排队：#{review.pk}，{review.batches_total} 个乡镇批次。")
            return
        review = review_services.review_run_now(review=review)
        counts = review.counts
        self.stdout.write(f"{year} 年度晋升{kind} #{review.pk}：{review.get_state_display()}，评估 {counts['total']} 人")
        for outcome in review_rules.OUTCOMES:
            self.stdout.write(f"  {review_rules.outcome_label(outcome)}：{counts['outcomes'][outcome]}")
        for row in counts["townships"]:
            parts = "，".join(f"{review_rules.outcome_label(o)} {row[o]}" for o in review_rules.OUTCOMES)
            self.stdout.write(f"  · {row['name']}：{row['total']} 人（{parts}）")
        if not review.dry_run:
            writes = counts["writes"]
            self.stdout.write(
                f"  评审建议：新建 {writes['created']}，更新 {writes['updated']}，未变 {writes['unchanged']}，"
                f"已决定保持不变 {writes['decided_kept']}"
            )
        if review.state == PromotionReview.State.FAILED:
            raise CommandError(f"部分乡镇批次失败：\n{review.errors}")
        self.stdout.write(self.style.SUCCESS("完成。"))
