"""A roster line's columns, listed once: roster generation inserts them, the API shows them, the workbook
prints them (the government form's headings and widths: 136 characters in all, an A4 landscape
page at 100 % in the workbook's 10 pt font)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    stored: str  # the table column roster generation writes
    api: str | None = None  # the field the API shows; None: not shown
    header: str | None = None  # the printed form's heading; None: not printed
    width: int = 0  # the printed column's width


COLUMNS = (
    Column("roster_id"),
    # Printed as the running number of the regular lines (adjustment lines have none).
    Column("position", "position", "序号", 5),
    Column("kind", "kind"),
    Column("cadre_id", "cadre"),
    Column("township_id", "township"),
    Column("township_name", "township_name", "乡镇", 8),
    Column("village_name", "village_name", "村（社区）", 11),
    Column("cadre_name", "cadre_name", "姓名", 13),
    Column("id_number_masked", "id_number_masked", "身份证号", 20),
    Column("posts_text", "posts_text", "职务", 20),
    Column("level", "level", "职级", 5),
    Column("amount", "amount", "月职级补贴（元）", 11),
    Column("since_month", "since_month", "职级起始月份", 10),
    Column("covers_from", "covers_from"),
    Column("covers_to", "covers_to"),
    Column("months_detail"),
    Column("remarks", "remarks", "备注", 33),
)

# Roster generation builds plain tuples in this order (insert_rows, no model instances).
STORED_COLUMNS = tuple(column.stored for column in COLUMNS)
API_FIELDS = [column.api for column in COLUMNS if column.api]
PRINTED = [column for column in COLUMNS if column.header]
HEADERS = [column.header for column in PRINTED]
WIDTHS = [column.width for column in PRINTED]
# The values printed after the running number, in the form's order.
PRINTED_FIELDS = [column.stored for column in PRINTED[1:]]
