"""Settings of the demo that ``make run`` serves: the product as its users meet it, on invented data.

``DJANGO_SETTINGS_MODULE=cadre_mgmt.cadres.demo_settings``. The project's settings are built as for
development (the development keys, HTTP cookies, hosts 127.0.0.1 / localhost), then ``DEBUG`` is
switched off, so that a wrong address or another township's record shows the product's own Chinese
error pages (templates/404.html, 403.html, 500.html), never Django's English debug page with the
site's URL list. Static files are served by WhiteNoise from the source folders (no collectstatic).

A developer who wants Django's debug pages runs ``make run DEBUG_PAGES=1``.

``DEMO = True`` lets ``seed_demo`` write its invented people although ``DEBUG`` is off; the production
settings never set it, so seed_demo keeps refusing a production database (DEBUG=False there). Only
choosing this module by name turns it on: no environment variable of the production settings can.
"""

import os

os.environ["DEBUG"] = "True"  # build the development variant of the settings below

from cadre_mgmt.settings import *  # noqa: E402, F403

DEMO = True
DEBUG = os.environ.get("DEBUG_PAGES", "").strip().lower() in {"1", "true", "yes", "on"}
# WhiteNoise's defaults follow DEBUG; the demo serves the source folders either way.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
