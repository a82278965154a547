from django.db import migrations

POSTS = [
    ("party_secretary", "党组织书记", True),
    ("director", "村委会主任", True),
    ("deputy_secretary", "党组织副书记", True),
    ("member", "村“两委”委员", True),
    ("accountant", "会计（报账员）", True),
    ("clerk", "文书", False),
    ("women_chair", "妇联主席", False),
]


def add_posts(apps, schema_editor):
    Post = apps.get_model("cadres", "Post")
    for order, (code, name, is_paid) in enumerate(POSTS):
        Post.objects.get_or_create(code=code, defaults={"name": name, "is_paid": is_paid, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]
    operations = [migrations.RunPython(add_posts, migrations.RunPython.noop)]
