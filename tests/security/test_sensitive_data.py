"""Resident ID numbers at rest: a dump of the database holds no plain number."""

import hashlib
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from cadre_mgmt.cadres import idnumbers, services
from cadre_mgmt.cadres.models import Cadre, Post
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db


def dump_database():
    """Every row of every table as text: COPY on PostgreSQL, SELECT * elsewhere."""
    out = io.StringIO()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.copy_expert(f"COPY {quoted} TO STDOUT", out)
            else:
                cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names come from introspection
                for row in cursor.fetchall():
                    out.write("\t".join(str(value) for value in row) + "\n")
    return out.getvalue()


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["乡镇", "村", "姓名", "身份证号", "职务", "任职时间", "联系电话", "政治面貌", "学历"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_database_dump_contains_no_plain_id_number(client_for, officer_x, village_x):
    member = Post.objects.get(code="member")
    created = make_id_number()
    replaced, replacement = make_id_number(), make_id_number(female=True)
    imported = make_id_number()
    cadre = services.cadre_create(
        user=officer_x,
        village=village_x,
        id_number=created,
        posts=[member],
        name="陈立",
        first_appointed_on="2016-01-01",
    )
    other = services.cadre_create(
        user=officer_x, village=village_x, id_number=replaced, posts=[member], name="吴芳", first_appointed_on="2016-01-01"
    )
    services.cadre_update(user=officer_x, cadre=other, id_number=replacement)
    client = client_for(officer_x)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.xlsx", _xlsx([["X镇", "东岭村", "郑新", imported, "村“两委”委员", "2018-01-01"]]))
    assert client.post(reverse("cadres:import"), {"file": upload}).status_code == 302
    client.get(reverse("cadres:export"))
    client.get(reverse("cadres:detail", args=[cadre.pk]))

    dump = dump_database()
    assert Cadre.objects.count() == 3
    for number in (created, replaced, replacement, imported):
        assert number not in dump
        # Not even an unkeyed hash that anyone could recompute from a guessed number.
        assert hashlib.sha256(number.encode()).hexdigest() not in dump
        assert hashlib.md5(number.encode()).hexdigest() not in dump  # noqa: S324 - looking for it, not using it
    # What is stored in the clear is only the masked form.
    assert idnumbers.mask_id_number(created) in dump
    # The encrypted form still gives the number back to those allowed to see it.
    cadre.refresh_from_db()
    assert cadre.id_number == created


def test_the_hash_depends_on_the_key(settings):
    number = make_id_number()
    settings.ID_NUMBER_KEY = "first-key-0123456789abcdef0123456789"
    first = idnumbers.hash_id_number(number), idnumbers.encrypt_id_number(number)
    settings.ID_NUMBER_KEY = "second-key-0123456789abcdef012345678"
    assert idnumbers.hash_id_number(number) != first[0]
    # Without the key the ciphertext cannot be read (and pages show nothing rather than crash).
    assert idnumbers.decrypt_id_number(first[1]) == ""


@pytest.mark.parametrize(
    ("role_fixture", "full"),
    [("county_admin", True), ("officer_x", True), ("county_approver", False), ("supervisor", False), ("finance", False)],
)
def test_full_id_number_only_for_roles_allowed(request, client_for, cadre_x, role_fixture, full):
    response = client_for(request.getfixturevalue(role_fixture)).get(reverse("cadres:detail", args=[cadre_x.pk]))
    assert response.status_code == 200
    assert (cadre_x.id_number in response.text) is full
    assert cadre_x.id_number_masked in response.text or full
