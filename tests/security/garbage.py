"""Reusable hostile-input helpers: every form and import of the product gets the same treatment.

    from tests.security.garbage import assert_form_rejects_garbage, assert_import_rejects_garbage

``assert_form_rejects_garbage(client, url, valid_data=..., field_names=[...], state=lambda: ...)``
posts the valid data with one or two fields replaced by garbage (random text, huge and negative
numbers, impossible dates, formulas, control characters, markup) and checks: never a server error;
a refused form shows an error and leaves ``state()`` unchanged (nothing half-written).
``assert_import_rejects_garbage(client, url, ...)`` does the same for an upload with random bytes.
"""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NASTY_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1",
    "-0",
    "0x10",
    "9" * 40,
    "-" + "9" * 40,
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "31/12/2026",
    "２０２６-０１-０１",
    "\u202e\u0627\u0644",
    "🙂" * 20,
    "x" * 10_000,
]


def garbage_text():
    """Strings a hostile or careless user might send in any field."""
    return st.one_of(
        st.sampled_from(NASTY_STRINGS),
        st.text(max_size=60),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats().map(repr),
        st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(datetime.date.isoformat),
        st.builds(lambda char, size: char * size, st.characters(), st.integers(min_value=100, max_value=5000)),
    )


def _form_errors(response):
    context = response.context
    if context is None:
        return None
    for key in ("form", "filter_form"):
        form = context.get(key) if hasattr(context, "get") else None
        if form is not None and hasattr(form, "errors"):
            return form.errors
    return None


def assert_form_rejects_garbage(client, url, *, valid_data, field_names, state, max_examples=40, allowed=(200, 302)):
    """Property: garbage in any of ``field_names`` never causes a 500; a refusal writes nothing.

    ``state()`` returns something comparable that changes when anything is written (e.g. row counts
    of the model and of the audit log). A 302 means the input was acceptable and saved whole.
    """

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        fields=st.lists(st.sampled_from(field_names), min_size=1, max_size=2, unique=True),
        values=st.lists(garbage_text(), min_size=2, max_size=2),
    )
    def check(fields, values):
        before = state()
        data = dict(valid_data)
        for name, value in zip(fields, values, strict=False):
            data[name] = value
        response = client.post(url, data)
        assert response.status_code in allowed, (response.status_code, fields, values)
        if response.status_code == 200:
            assert state() == before, f"a refused form wrote something: {fields}={values!r}"
            errors = _form_errors(response)
            assert errors is None or errors, "a 200 answer to a POST must show why it was refused"

    check()


def assert_import_rejects_garbage(client, url, *, state, field="file", filename="upload.xlsx", max_examples=30):
    """Property: random bytes, and random bytes that start like a zip, give a clear message and write nothing."""

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.one_of(st.binary(max_size=4096), st.binary(max_size=4096).map(lambda tail: b"PK\x03\x04" + tail)))
    def check(data):
        before = state()
        response = client.post(url, {field: SimpleUploadedFile(filename, data, content_type=XLSX)})
        assert response.status_code == 200, response.status_code
        assert state() == before
        assert "alert-danger" in response.text or "invalid-feedback" in response.text

    check()


def excel_safe(value):
    """A value openpyxl can write (it refuses control characters in text)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


# --- hostile workbooks ------------------------------------------------------------------------


def zip_bomb(member="xl/worksheets/sheet1.xml", size=60 * 1024 * 1024):
    """A small zip whose one member really unpacks to ``size`` bytes (tens of kB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, b"\0" * size)
    return buffer.getvalue()


def lie_about_sizes(data, declared=100):
    """The same zip, with every member declaring it unpacks to ``declared`` bytes (local and central headers)."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    for info in infos:
        raw[info.header_offset + 22 : info.header_offset + 26] = declared.to_bytes(4, "little")
    position = raw.find(b"PK\x01\x02")
    while position != -1:
        raw[position + 24 : position + 28] = declared.to_bytes(4, "little")
        position = raw.find(b"PK\x01\x02", position + 4)
    return bytes(raw)
