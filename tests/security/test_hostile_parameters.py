"""Hostile parameters on every URL of the permission matrix (issue "Robustness", item 7).

* A NUL character in any parameter of any page or endpoint is a 400 (``cadre_mgmt/nul_bytes.py``): the
  Chinese 400 page, or the API's JSON error — never a 500 from PostgreSQL. A page's form value is the
  exception: its form refuses it beside the field (a 200 that writes nothing).
* Every URL, as a county administrator and as a township officer, GET and POST, with every parameter and
  form field (those the page's forms name, plus the filters the product uses) set to a NUL, a 10,000-character
  string and out-of-range ids (2**63, -1, 99999999): no 500, and no row changed.
"""

import os
import re
import traceback
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from .test_permission_matrix import build_targets, complete_the_demo_data, url_names

pytestmark = pytest.mark.django_db

# Filters and fields the product's pages and endpoints read, beside those their forms name.
COMMON_PARAMETERS = [
    "q", "search", "township", "village", "cadre", "cadres", "page", "page_size", "year", "quarter", "month",
    "status", "level", "post", "category", "action", "user", "object_type", "date_from", "date_to", "kind",
]  # fmt: skip
HOSTILE_VALUES = ["\x00", "x\x00y", "字" * 10_000, str(2**63), "-1", "99999999"]
# Requests whose write is the request itself, whatever the parameters: signing in and out.
NOT_POSTED = {"accounts:login", "accounts:logout", "accounts:logout_everywhere", "api:token"}
# Tables that change on any request (sessions, the lockout's counts, the API token's last use).
UNPROBED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "accounts_apitokenuse"}

# Writes that are the request itself, whatever the parameters (or whose parameter is free text that a
# hostile id is a valid value of): not counted as "a row changed".
LEGIT_WRITES = {
    ("ranks:roster_lock", "county_admin"),  # locking the month's roster reads no parameter
    ("ranks:grading_reject", "county_admin"),  # "-1" or "99999999" is a valid (free-text) rejection reason
    ("ranks:settings_posts", "county_admin"),  # a checkbox posted with any value is ticked: a real, audited setting
    ("ranks:rank_change_reverse", "county_admin"),  # a reason ("-1") and a ticked confirmation: a real correction
    # Issuing (a new initial password) and disabling a cadre's account read no parameter (DESIGN §12).
    ("ranks:cadre_account_issue", "county_admin"),
    ("ranks:cadre_account_issue", "township_x"),
    ("ranks:cadre_account_disable", "county_admin"),
    ("ranks:cadre_account_disable", "township_x"),
    # A proposal's remarks are free text ("-1" is a remark): submitting or changing them is a real, audited step.
    ("ranks:proposal_submit", "county_admin"),
    ("ranks:proposal_submit", "township_x"),
    # Closing a villagers' evaluation round and confirming another user's paper tally read no parameter (DESIGN §11).
    ("assessments:evaluation_close", "county_admin"),
    ("assessments:evaluation_close", "township_x"),
    ("assessments:evaluation_paper_confirm", "county_admin"),
    ("assessments:evaluation_paper_confirm", "township_x"),
}

# A POST of these pages writes whatever else it carries: the legitimate writes above, and the scoring grids,
# whose POST with no score field saves nothing but opens the township's year or quarter record (audited).
# The NUL sweep posts one parameter only; for these pages the write is not the NUL's doing.
WRITES_ON_ANY_POST = LEGIT_WRITES | {
    (page, role) for page in ("assessments:year", "assessments:quarter") for role in ("county_admin", "township_x")
}


@pytest.fixture
def demo(settings):
    from cadre_mgmt.accounts.models import User
    from cadre_mgmt.cadres.models import Township

    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False
    complete_the_demo_data()
    township = Township.objects.get(name="X镇")
    users = {name: User.objects.get(username=name) for name in ("county_admin", "township_x")}
    return township, users


def _urls(township):
    targets = build_targets()
    for name in sorted(url_names()):
        if name.endswith("<unnamed>"):
            yield name, "/api/nowhere/", {}
            continue
        kwargs, query = targets.get(name, lambda t: ({}, {"township": t.pk}))(township)
        yield name, reverse(name, kwargs=kwargs), query


def _client(user):
    client = Client()
    client.raise_request_exception = False
    client.force_login(user)
    return client


def _row_counts():
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table not in UNPROBED_TABLES
    )
    # An export is audited as a read: its record is no change of data.
    counts = [
        f'(SELECT COUNT(*) FROM "{table}"' + (" WHERE action <> 'export')" if table == "audit_auditrecord" else ")")
        for table in tables
    ]
    sql = "SELECT " + ", ".join(counts)  # noqa: S608 (model tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


class _Crashes:
    """The last traceback line in the project's code of every exception a request raised."""

    def __init__(self):
        self.last = None

    def __call__(self, sender, request=None, **kwargs):
        import sys

        frames = traceback.extract_tb(sys.exc_info()[2])
        ours = [f for f in frames if "/.venv/" not in f.filename and "site-packages" not in f.filename]
        frame = (ours or frames)[-1]
        self.last = f"{sys.exc_info()[0].__name__}: {sys.exc_info()[1]} at {frame.filename}:{frame.lineno}"


def _send(client, method, url, params):
    """One request in a rolled-back savepoint: (status, changed tables)."""
    cache.clear()
    with transaction.atomic():
        before = _row_counts()
        response = client.get(url + "?" + urlencode(params, doseq=True)) if method == "get" else client.post(url, params)
        after = _row_counts()
        transaction.set_rollback(True)
    changed = sorted(table for table in before if before[table] != after[table])
    return response, changed


def _field_names(response):
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    return set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', response.text)) - {"csrfmiddlewaretoken"}


def _label(value):
    if "\x00" in value:
        return "NUL"
    return f"{len(value)} chars" if len(value) > 100 else value


def test_a_nul_in_a_page_filter_is_a_400_not_a_500(client_for, officer_x, village_x):
    response = client_for(officer_x).get(f"/assessments/ledger/cadres/?village={village_x.pk}&q=%00")
    assert response.status_code == 400
    assert "无法理解" in response.text or "请求" in response.text
    assert "Traceback" not in response.text


def test_a_nul_in_an_api_filter_or_json_body_is_a_json_400(officer_x, cadre_x):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer_x).key}")
    response = client.get("/api/v1/cadres/?search=%00")
    assert response.status_code == 400
    assert response.json()["errors"] == {"search": ["“search”中含有空字符，不能接受。"]}
    response = client.post("/api/v1/ledger-entries/", {"note": "ok", "cadres": [{"name": "a\x00b"}]}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "提交的数据有误，请检查各字段。"
    assert "空字符" in response.json()["errors"]["cadres"][0]


def test_a_nul_in_a_parameter_name_or_a_form_field_is_refused_too(client_for, officer_x):
    client = client_for(officer_x)
    assert client.get("/cadres/?a%00b=1").status_code == 400
    assert client.post("/cadres/new/", {"na\x00me": "张三"}).status_code == 400
    # A form's value: refused by the form, beside the field.
    response = client.post("/cadres/new/", {"name": "张\x00三"})
    assert response.status_code == 200
    assert "空字符" in response.text


def test_a_nul_in_any_parameter_of_any_url_is_a_400(demo):
    """Hypothesis over the URL table: a NUL somewhere in some parameter's name or value, GET or POST."""
    township, users = demo
    urls = list(_urls(township))
    clients = {role: _client(user) for role, user in users.items()}
    names = st.sampled_from(COMMON_PARAMETERS) | st.text(st.characters(codec="utf-8"), min_size=1, max_size=8)
    texts = st.text(st.characters(codec="utf-8"), max_size=20)

    @hypothesis_settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(
        url=st.sampled_from(urls),
        role=st.sampled_from(sorted(clients)),
        method=st.sampled_from(["get", "post"]),
        name=names,
        before=texts,
        after=texts,
        in_the_name=st.booleans(),
    )
    def nul_is_refused(url, role, method, name, before, after, in_the_name):
        url_name, address, query = url
        if method == "post" and url_name in NOT_POSTED:
            return  # signing in or out acts whatever else is posted (and would end the client's session)
        value = before + "\x00" + after
        params = {**query, (name + "\x00" if in_the_name else name): "1" if in_the_name else value}
        response, changed = _send(clients[role], method, address, params)
        if method == "post":
            # A page's form value: the form refuses it beside the field (or the page's own 400). A form key is
            # a 400 when it arrives whole; a multipart header that cannot carry the NUL may drop the field. The
            # test client posts multipart, which the JSON-only API refuses itself (415) or validates per field.
            assert response.status_code < 500, (address, role, method, params)
        else:
            assert response.status_code == 400, (address, role, method, params)
        legit = method == "post" and (url_name, role) in WRITES_ON_ANY_POST
        assert not changed or legit, (address, role, method, params, changed)

    nul_is_refused()


def test_hostile_values_in_every_parameter_of_every_url(demo):
    township, users = demo
    crashes = _Crashes()
    got_request_exception.connect(crashes)
    failures = []
    try:
        for name, address, query in _urls(township):
            for role, user in users.items():
                client = _client(user)
                fields = _field_names(client.get(address + ("?" + urlencode(query) if query else "")))
                parameters = sorted(set(COMMON_PARAMETERS) | fields | set(query))
                for value in HOSTILE_VALUES:
                    for method in ("get", "post"):
                        if method == "post" and name in NOT_POSTED:
                            continue
                        crashes.last = None
                        response, changed = _send(client, method, address, dict.fromkeys(parameters, value))
                        case = (name, role, method.upper(), _label(value))
                        problem = None
                        if response.status_code >= 500:
                            problem = f"{response.status_code} {crashes.last}"
                        elif changed and (name, role) not in LEGIT_WRITES:
                            problem = f"changed {changed} ({response.status_code})"
                        if problem is None:
                            continue
                        failures.append((*case, problem))
    finally:
        got_request_exception.disconnect(crashes)
    report = "\n".join(" | ".join(item) for item in failures)
    assert not failures, f"{len(failures)} hostile requests failed:\n{report}"
