"""Project-wide properties: settings, demo data, no external assets, complete translations."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from cadre_mgmt.cadres.models import Cadre

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_values():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DEBUG": "False",
            "SECRET_KEY": "k" * 20 + "Q7#x9!mZ2$vB8@nL4^pR6&tY1*wE3(uI5)oA0",
            "ALLOWED_HOSTS": "example.org",
            "ID_NUMBER_KEY": "0123456789abcdef0123456789abcdef",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"DEBUG": "False", "ALLOWED_HOSTS": "x.org"}, "SECRET_KEY must be set"),
        ({"DATABASE_URL": "nonsense://"}, "DATABASE_URL"),
        ({"SESSION_IDLE_MINUTES": "abc"}, "SESSION_IDLE_MINUTES must be an integer"),
        ({"CELERY_BROKER_URL": "http://x"}, "CELERY_BROKER_URL"),
    ],
)
def test_bad_settings_fail_loudly(overrides, message):
    result = _manage("check", env_overrides=overrides)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    count = Cadre.objects.count()
    assert count == 130
    assert set(Cadre.objects.values_list("township__name", flat=True)) == {"X镇", "Y镇"}
    snapshot = list(Cadre.objects.order_by("pk").values_list("pk", "name", "updated_at"))
    call_command("seed_demo")
    assert list(Cadre.objects.order_by("pk").values_list("pk", "name", "updated_at")) == snapshot


@pytest.mark.django_db
def test_demo_logins_work(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for username in ["county_admin", "county_approver", "township_x", "township_y", "supervisor", "finance"]:
        response = client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")


@pytest.mark.django_db
def test_seed_demo_refuses_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_demo_password_passes_the_password_rules(settings):
    """The demo password meets every strength rule, so the demo accounts are not weak; as it is published,
    nobody may choose it (the published-password rule refuses it; seed_demo sets it without the rules)."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    from cadre_mgmt.accounts.validators import PublishedPasswordValidator

    strength = [v for v in password_validation.get_default_password_validators() if not isinstance(v, PublishedPasswordValidator)]
    password_validation.validate_password(settings.DEMO_PASSWORD, password_validators=strength)
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(settings.DEMO_PASSWORD)
    assert [error.code for error in refused.value.error_list] == ["password_published"]


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def test_no_template_loads_anything_from_another_host():
    offenders = [str(p) for p in (ROOT / "templates").rglob("*.html") if EXTERNAL.search(p.read_text())]
    assert offenders == []


def test_no_inline_script_in_templates():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    offenders = [str(p) for p in (ROOT / "templates").rglob("*.html") if inline.search(p.read_text())]
    assert offenders == []


def test_no_inline_style_in_templates():
    # The CSP (style-src 'self') blocks inline <style> and style="..." alike: styles live in static/css.
    inline = re.compile(r"<style\b|\sstyle=", re.I)
    offenders = [str(p) for p in (ROOT / "templates").rglob("*.html") if inline.search(p.read_text())]
    assert offenders == []


MSGID_PATTERNS = [
    re.compile(r"""\{%\s*translate\s+"([^"]+)"\s*%\}"""),
    re.compile(r"""\{%\s*translate\s+'([^']+)'\s*%\}"""),
    re.compile(r"""(?<![\w.])_\(\s*"((?:[^"\\]|\\.)+)"\s*\)"""),
]


def _msgids():
    files = [*ROOT.glob("templates/**/*.html")]
    for folder in ["cadre_mgmt", "ranks", "assessments", "incentives", "supervision"]:
        files += [p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]
        files += list((ROOT / folder).rglob("templates/**/*.html"))
    for path in files:
        text = path.read_text()
        for pattern in MSGID_PATTERNS:
            for match in pattern.finditer(text):
                yield (
                    path.relative_to(ROOT),
                    match.group(1).encode().decode("unicode_escape") if "\\" in match.group(1) else match.group(1),
                )


def test_every_interface_string_has_a_chinese_translation():
    missing = []
    with translation.override("zh-hans"):
        for path, msgid in _msgids():
            if re.search(r"[A-Za-z]", msgid) and translation.gettext(msgid) == msgid:
                missing.append(f"{path}: {msgid}")
    assert sorted(set(missing)) == []


@pytest.mark.django_db
def test_server_error_under_api_is_json_and_pages_get_the_chinese_page(rf):
    from cadre_mgmt.urls import handler500

    response = handler500(rf.get("/api/v1/cadres/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "系统出现错误" in response.content.decode()
    response = handler500(rf.get("/cadres/"))
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_forced_password_change_does_not_redirect_api_calls(client, django_user_model, db):
    user = django_user_model.objects.create_user(
        username="newbie", password="Test@Password2026", role="county_admin", must_change_password=True
    )
    client.force_login(user)
    response = client.get("/api/v1/cadres/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert client.get("/cadres/").status_code == 302


@pytest.mark.django_db
def test_audit_record_survives_nul_characters_from_user_input():
    from cadre_mgmt.audit.models import AuditRecord
    from cadre_mgmt.audit.services import audit_record

    record = audit_record(actor=None, action="login_failed", summary="用户\x00名", changes={"a\x00": "b\x00"})
    record.refresh_from_db()
    assert "\x00" not in record.summary
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_every_requirement_is_pinned():
    root = Path(__file__).resolve().parent.parent
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (root / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-r "):
                assert re.fullmatch(r"[A-Za-z0-9_.\[\]-]+==[0-9][A-Za-z0-9.]*", line), f"{name}: {line} is not pinned"


def test_make_test_runs_lint_typecheck_and_pytest():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    rules = {m[0]: (m[1], m[2]) for m in re.findall(r"^([a-z-]+):([^\n]*)\n((?:(?:\t|#)[^\n]*\n)*)", makefile, re.MULTILINE)}
    prerequisites, recipe = rules["test"]
    assert prerequisites.split()[-2:] == ["lint", "typecheck"] and "pytest" in recipe
    assert "--enable=duplicate-code" in rules["lint"][1]
    assert "mypy" in rules["typecheck"][1]


def test_no_msgid_is_given_two_chinese_texts():
    """The fragments are merged into one catalog, the last file winning: a msgid translated twice shows one
    of them everywhere (职级 for a commendation's level, 未整改 for a quarter not started). A word that means
    two things gets two msgids ("commendation level", "Rectification not started")."""
    import json
    from collections import defaultdict

    texts = defaultdict(dict)
    for fragment in sorted((Path(__file__).resolve().parent.parent / "locale/zh_Hans/fragments").glob("*.json")):
        for msgid, text in json.loads(fragment.read_text(encoding="utf-8")).items():
            texts[msgid][fragment.name] = text
    clashes = {msgid: files for msgid, files in texts.items() if len(set(files.values())) > 1}
    assert not clashes, clashes
