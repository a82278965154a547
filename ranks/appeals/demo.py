"""Demo data of the self-service and appeals (DESIGN §12): accounts for three cadres of X镇 (user name their
phone number, password DEMO_PASSWORD), one appeal waiting for the township's comment, one decided.

Idempotent: the accounts and appeals are made only if missing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from cadre_mgmt.cadres.models import Cadre

from ..models import Appeal, Proposal
from . import services

DEMO_PHONES = ("13900000001", "13900000002", "13900000003")
WAITING_REASONS = "我任现职级期间年度考核均为称职以上，台账记录齐全，申请复核本次评审结论的依据。"
DECIDED_REASONS = "本人认为任职年限计算有误，2019年换届后应连续计算，请复核。"


def demo_cadres():
    """The three demo cadres with an account: X镇 cadres with a decided proposal, fixed by id order."""
    decided = Proposal.objects.filter(township__name="X镇", status__in=[Proposal.Status.APPROVED, Proposal.Status.REJECTED])
    ids = list(decided.order_by("cadre_id").values_list("cadre_id", flat=True)[:3])
    return list(Cadre.objects.filter(pk__in=ids).order_by("pk"))


def _account(cadre, phone):
    User = get_user_model()
    account = User.objects.filter(cadre=cadre).first()
    if account is None:
        Cadre.objects.filter(pk=cadre.pk).update(phone=phone)
        account = User(username=phone, role=User.Role.CADRE, cadre=cadre, full_name=cadre.name)
        account.set_password(settings.DEMO_PASSWORD)
        account.save()
    return account


def seed_appeals(stdout):
    User = get_user_model()
    officer = User.objects.get(username="township_x")
    approver = User.objects.get(username="county_approver")
    cadres = demo_cadres()
    accounts = [_account(cadre, phone) for cadre, phone in zip(cadres, DEMO_PHONES, strict=False)]
    if len(accounts) < 2 or Appeal.objects.filter(cadre__in=cadres).exists():
        return
    today = timezone.localdate()
    waiting, decided = (
        Proposal.objects.filter(cadre=account.cadre, status__in=[Proposal.Status.APPROVED, Proposal.Status.REJECTED]).first()
        for account in accounts[:2]
    )
    services.appeal_file(user=accounts[0], kind="proposal", subject_id=waiting.pk, reasons=WAITING_REASONS, today=today)
    appeal = services.appeal_file(user=accounts[1], kind="proposal", subject_id=decided.pk, reasons=DECIDED_REASONS, today=today)
    services.appeal_comment(appeal=appeal, user=officer, comment="经核对任职文件，年限计算符合规定。")
    services.appeal_decide(appeal=appeal, user=approver, outcome="dismissed", reasons="任职年限按批复文件计算无误，维持原决定。")
    stdout.write(f"  演示村干部账号：{'、'.join(a.username for a in accounts)}（密码同上）")
