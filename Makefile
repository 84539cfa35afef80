# The README's two commands: `make run` and `make test`. Nothing but Python 3.11+ needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint format chromium bench benchmarks stop clean messages

# pip runs --quiet (its output is pages long): say what is happening and for how long instead.
$(STAMP): pyproject.toml
	@echo "[make] creating .venv and installing the Python packages (first time: 1-3 minutes, quiet while it works)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@# setuptools warns that the editable install's package shares the folder's name (mtss/):
	@# that is how this project is laid out, nothing to act on.
	@PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)
	@echo "[make] packages installed in .venv"

install: $(STAMP)

# Migrate, load the demo district when the database is empty, start web + worker + beat.
# DEMO_STUDENTS=50000 make run loads a bigger district; PORT=8001 make run moves the web server.
run: install
	$(PY) -m mtss.lib.devservices run

test: install chromium
	@echo "[make] lint: ruff check, ruff format --check, lint-imports (the layer contract)"
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/compile_messages.py --check
	$(PY) -m mtss.lib.devservices test $(PYTEST_ARGS)

# Browser tests drive Debian's chromium; install it when missing and we may (root).
chromium:
	@bash scripts/ensure_chromium.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Message catalogs (locale/): extract the marked strings, then compile them with polib (no
# GNU gettext needed to compile; extraction uses xgettext). The .mo files are committed.
# django.po holds the templates' and Python's strings, djangojs.po those of static/js/*.js
# (served by the JavaScript catalog view, /jsi18n/); the vendored libraries are not ours.
MESSAGES_IGNORE = --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=test-artifacts
messages: install
	$(PY) manage.py makemessages -l es $(MESSAGES_IGNORE) --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l es $(MESSAGES_IGNORE) --ignore=static/vendor --no-obsolete
	$(PY) scripts/compile_messages.py

# Every script in benchmarks/, against the same services as the tests.
bench: install
	$(PY) -m mtss.lib.devservices bench $(BENCH_ARGS)

benchmarks: bench

# Stop the embedded PostgreSQL and Redis (make run stops them itself on Ctrl-C).
stop: install
	$(PY) -m mtss.lib.devservices stop

clean:
	rm -rf $(VENV) staticfiles
