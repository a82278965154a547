"""Demo data for the organisation and cadre files: invented people, fake ID numbers with valid check digits."""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model

from . import idnumbers
from .models import Cadre, Post, Township, Village
from .services import cadre_create

TOWNSHIPS = {
    "X镇": ["东岭村", "西河村", "南山村", "北坪村", "青石村", "柳溪村", "桃园社区", "新兴村"],
    "Y镇": ["白鹭村", "枫林村", "石桥村", "云岗村", "清泉村", "红旗村", "和平社区", "丰收村"],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "建国志强秀英丽华文军明辉海燕春梅国庆红霞永刚玉兰德胜桂芳晓东小平金凤振华淑珍宏伟雪梅立新美玲卫东翠花长青俊杰晓燕家豪思远子涵雨欣浩然"  # noqa: E501
# Invented region codes (99xxxx does not exist), so no demo number can be a real person's.
REGION_CODES = {"X镇": "990101", "Y镇": "990102"}
DEMO_CADRES = 130
POST_PLAN = [
    ["party_secretary", "director"],
    ["deputy_secretary"],
    ["member"],
    ["accountant"],
    ["women_chair", "member"],
    ["clerk"],
    ["member"],
    ["party_secretary"],
]


def fake_id_number(rng, region, birth, serial):
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + idnumbers.check_digit(first17)


def demo_users():
    """(username, role, township name or None, full name)."""
    return [
        ("county_admin", "county_admin", None, "组织部 管理员"),
        ("county_approver", "county_approver", None, "组织部 审批人"),
        ("township_x", "township_staff", "X镇", "X镇 组织委员"),
        ("township_y", "township_staff", "Y镇", "Y镇 组织委员"),
        ("supervisor", "supervisor", None, "纪委监委 监督员"),
        ("finance", "finance", None, "县财政 出纳"),
    ]


def seed_cadres(stdout):
    townships = {}
    for order, (name, villages) in enumerate(TOWNSHIPS.items()):
        township, _ = Township.objects.get_or_create(name=name, defaults={"sort_order": order})
        townships[name] = township
        for v_order, village_name in enumerate(villages):
            Village.objects.get_or_create(
                township=township,
                name=village_name,
                defaults={
                    "sort_order": v_order,
                    "kind": Village.Kind.COMMUNITY if village_name.endswith("社区") else Village.Kind.VILLAGE,
                },
            )

    User = get_user_model()
    for username, role, township_name, full_name in demo_users():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "township": townships.get(township_name),
                "full_name": full_name,
                "is_staff": role == "county_admin",
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
    admin_user = User.objects.get(username="county_admin")

    posts = {post.code: post for post in Post.objects.all()}
    created = 0
    index = 0
    for township_name, township in townships.items():
        villages = list(township.villages.order_by("sort_order"))
        per_township = DEMO_CADRES // len(townships)
        for n in range(per_township):
            # One generator per demo cadre, so a second run regenerates exactly the same people.
            rng = random.Random(f"demo-{township_name}-{n}")
            village = villages[n % len(villages)]
            plan = POST_PLAN[(n // len(villages)) % len(POST_PLAN)]
            birth = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 33))
            serial = 100 + index
            index += 1
            # About three in ten cadres are women: an even 17th digit is female, odd is male.
            serial = serial - (serial % 2) if rng.random() < 0.3 else serial | 1
            number = fake_id_number(rng, REGION_CODES[township_name], birth, serial % 1000)
            if Cadre.objects.filter(id_number_hash=idnumbers.hash_id_number(number)).exists():
                continue
            appointed = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 16))
            name = rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + (rng.choice(GIVEN[1::2]) if rng.random() < 0.8 else "")
            cadre_create(
                user=admin_user,
                village=village,
                id_number=number,
                posts=[posts[code] for code in plan],
                name=name,
                phone=f"13{rng.randrange(100000000, 999999999)}",
                political_status=Cadre.PoliticalStatus.PARTY_MEMBER if rng.random() < 0.85 else Cadre.PoliticalStatus.MASSES,
                education=rng.choice(list(Cadre.Education.values)[1:5]),
                first_appointed_on=appointed,
                prior_service_years=rng.choice([0, 0, 0, 1, 2, 3, 5]),
                ethnicity="汉族" if rng.random() < 0.9 else "土家族",
            )
            created += 1
    stdout.write(f"  村干部：新建 {created} 人，共 {Cadre.objects.count()} 人")
