"""Totals that must be identical before a backup and after its restore.

``python manage.py backup_totals`` prints them; docs/backup.md runs it against the live database
before ``pg_dump`` and against the restored copy after ``pg_restore``, and the two outputs must
match. Feature apps add their own totals (e.g. roster sums per month) with ``register_backup_total``
in their ``AppConfig.ready()``. Each query is plain SQL returning one row with one value, so it
runs on any connection, including a restored database Django is not configured for.
"""

CORE_TOTALS = [
    ("cadres", "SELECT COUNT(*) FROM cadres_cadre"),
    ("cadres in post", "SELECT COUNT(*) FROM cadres_cadre WHERE status = 'in_post'"),
    ("prior years of service, summed", "SELECT COALESCE(SUM(prior_service_years), 0) FROM cadres_cadre"),
    ("cadre posts held", "SELECT COUNT(*) FROM cadres_cadre_posts"),
    ("townships", "SELECT COUNT(*) FROM cadres_township"),
    ("villages", "SELECT COUNT(*) FROM cadres_village"),
    ("users", "SELECT COUNT(*) FROM accounts_user"),
    ("audit records", "SELECT COUNT(*) FROM audit_auditrecord"),
]

_registered: list[tuple[str, str]] = []


def register_backup_total(label, sql):
    """Add a total (one SQL query returning one value) that a restore must reproduce."""
    if all(existing != label for existing, _sql in _registered):
        _registered.append((label, sql))


def totals_that_must_survive():
    """[(label, SQL)]: the core's totals, then the ones feature apps registered."""
    return [*CORE_TOTALS, *_registered]


def compute_totals(cursor):
    """{label: value} for every total, using any DB-API cursor (Django's or a plain psycopg2 one)."""
    values = {}
    for label, sql in totals_that_must_survive():
        cursor.execute(sql)
        value = cursor.fetchone()[0]
        values[label] = str(value) if value is not None else ""
    return values
