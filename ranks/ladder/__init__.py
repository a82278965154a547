"""The ladder and rank history (DESIGN §3): ladder steps, the allowance schedule, rank changes, the
month arithmetic (``rules``), the settings page and the rank-history API."""
