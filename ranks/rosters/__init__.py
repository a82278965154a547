"""Allowance rosters (DESIGN §8): generation with adjustment lines, locking, the export (workbook and
job), the roster pages and API. A line's columns are listed once, in ``columns``."""
