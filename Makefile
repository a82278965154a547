# The two commands: `make run` and `make test`. Everything else is a helper of those.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

.PHONY: run test venv deps dev-deps system-deps lint typecheck messages e2e bench bench-curve bench-quick clean

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.deps

# The demo: invented people, the product's own Chinese error pages (DEBUG off; `make run DEBUG_PAGES=1`
# for Django's debug pages), a banner naming the demo accounts' password. Settings: cadre_mgmt/cadres/demo_settings.py.
DEMO := DJANGO_SETTINGS_MODULE=cadre_mgmt.cadres.demo_settings DEBUG_PAGES=$(DEBUG_PAGES)
run: $(VENV)/.deps
	$(DEMO) $(PY) manage.py migrate --noinput
	$(DEMO) $(PY) manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true
	$(DEMO) $(PY) manage.py seed_demo
	@$(DEMO) $(PY) manage.py demo_banner --url http://$(HOST)/
	$(DEMO) $(PY) manage.py runserver $(HOST)

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r cadre_mgmt ranks assessments incentives supervision -ll -x '*/migrations/*'
	$(PY) manage.py makemigrations --check --dry-run
# Clones: no six lines written twice across the apps (imports, comments, docstrings, signatures aside).
	$(VENV)/bin/pylint --disable=all --enable=duplicate-code --min-similarity-lines=6 --ignore-imports=y \
	  --ignore-comments=y --ignore-docstrings=y --ignore-signatures=y --score=n \
	  --ignore-paths='.*/migrations/.*,.*/tests/.*' cadre_mgmt ranks assessments incentives supervision

# mypy over the services, selectors and rules of every app (settings in pyproject.toml).
typecheck: $(VENV)/.dev-deps
	$(VENV)/bin/mypy

# Debian packages some tests read their output with: the slips' CJK font, LibreOffice and poppler (the printed
# roster read back from its PDF), libzbar (the slips' QR codes decoded). Installed when missing and when root
# (CI); elsewhere those tests skip and say which package they need.
SYSTEM_PACKAGES := fonts-wqy-microhei libreoffice-calc poppler-utils libzbar0
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's$$missing for the tests that read PDFs, fonts and QR codes back"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif [ -n "$$missing" ]; then echo "Not root: the tests needing$$missing will skip"; fi

test: $(VENV)/.dev-deps system-deps lint typecheck
	$(VENV)/bin/pytest

# Extract interface strings, apply locale/zh_Hans/fragments/*.json, compile the .mo.
messages: $(VENV)/.dev-deps
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=static --ignore=staticfiles --ignore=tests --ignore=bench
	$(PY) scripts/po_fill.py

# Browser journeys (tests/e2e): Playwright drives Debian's Chromium against the live server. No browser
# download (none can work here): Chromium and a Chinese font come from Debian; CI runs as root.
e2e: $(VENV)/.dev-deps
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium and fonts-wqy-microhei for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi
	E2E=1 $(VENV)/bin/pytest tests/e2e

# Benchmarks at provincial scale, not part of `make test`: drops and creates the PostgreSQL database
# cadre_bench (BENCH_DATABASE_URL), loads SCALE cadres, measures, prints a table, writes bench/results.json.
bench: $(VENV)/.deps
	$(PY) bench/run.py --scale $(or $(SCALE),100000)

# The scaling curve: 10,000, 100,000 and 300,000 cadres, seconds per 1,000 of review, roster and export.
bench-curve: $(VENV)/.deps
	$(PY) bench/curve.py

bench-quick: $(VENV)/.deps
	$(PY) bench/run.py --scale $(or $(SCALE),10000) --output bench/results-quick.json

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
