"""Insert many rows of one model as plain tuples: COPY on PostgreSQL, batched INSERTs elsewhere.

Model instances and ``bulk_create`` cost most of the time of the two big writes of the product (a
100,000-line roster, a 100,000-cadre promotion review), so those services hand their rows here as
tuples in the order of ``columns`` (model attribute names such as ``cadre_id``). The database still
checks every constraint and foreign key; the caller has built the values from validated data.

Columns left out take their field's default. Values: ``None`` is NULL (an empty string stays an
empty string); a JSON column takes the JSON text itself (``json.dumps`` done
once by the caller); dates, datetimes, Decimals, booleans and numbers as Python values.
"""

import json

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


def _fields(model, columns):
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    missing = [column for column in columns if column not in by_attname]
    if missing:
        raise ValueError(f"{model._meta.label} has no columns {missing}")
    return [by_attname[column] for column in columns]


def _copy_text(value) -> str:
    """One value in COPY's text format: ``\\N`` for NULL, backslash, tab, newline and return escaped
    (the text format is twice as fast to write as CSV for long JSON texts full of quotes)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = value if type(value) is str else str(value)
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _omitted(model, columns):
    """The columns not given, with the value each takes: the field's default (Django keeps defaults in
    Python, not in the table), the time now for ``auto_now``/``auto_now_add``."""
    now = timezone.now()
    omitted = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in columns:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
            if isinstance(field, models.JSONField):
                value = json.dumps(value, cls=field.encoder)
        omitted.append((field.attname, value))
    return omitted


class _CopyStream:
    """The file psycopg2 reads COPY data from: rows become text only when the server asks for more, so
    PostgreSQL stores one part of a stream while Python is still preparing (or computing) the next."""

    def __init__(self, rows, constants):
        self._rows = iter(rows)
        self._tail = "".join("\t" + _copy_text(value) for value in constants) + "\n"
        self._pending = ""
        self.count = 0

    def read(self, size=-1):
        parts, length = [self._pending], len(self._pending)
        while size < 0 or length < size:
            row = next(self._rows, _END)
            if row is _END:
                break
            line = "\t".join([_copy_text(value) for value in row]) + self._tail
            parts.append(line)
            length += len(line)
            self.count += 1
        data = "".join(parts)
        if 0 <= size < len(data):
            data, self._pending = data[:size], data[size:]
        else:
            self._pending = ""
        return data


_END = object()
COPY_BUFFER = 64 * 1024


def insert_rows(model, columns, rows) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``model``'s table; returns the count.
    Columns not given take their field's default. ``rows`` may be a generator: on PostgreSQL it is read
    while the COPY runs (the database works on the rows already sent meanwhile)."""
    if isinstance(rows, list | tuple) and not rows:
        return 0
    omitted = _omitted(model, columns)
    constants = tuple(value for _name, value in omitted)
    fields = _fields(model, (*columns, *(name for name, _value in omitted)))
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stream = _CopyStream(rows, constants)
            with connection.wrap_database_errors:  # IntegrityError & co. as Django raises them
                cursor.cursor.copy_expert(f"COPY {table} ({column_list}) FROM STDIN", stream, size=COPY_BUFFER)
            return stream.count
        rows = [(*row, *constants) for row in rows]
        adapters = [_adapter(field) for field in fields]
        placeholders = ", ".join(["%s"] * len(fields))
        for start in range(0, len(rows), BATCH):
            batch = [[adapt(value) for adapt, value in zip(adapters, row, strict=True)] for row in rows[start : start + BATCH]]
            # Table and column names come from the model's _meta; every value is a bound parameter.
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", batch)  # noqa: S608  # nosec B608
    return len(rows)


def _adapter(field):
    """The value as the non-PostgreSQL backends take it (SQLite for `make run`)."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda value: value  # already JSON text
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else str(value)
    return lambda value: value
