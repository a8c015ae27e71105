# Two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/tracker.duckdb
PORT ?= 8501

.PHONY: run test lint typecheck unit reliability e2e bench bench-smoke soak demo init clean

$(VENV)/.installed-run: requirements.txt
	@test -x $(PY) || { echo "Creating the virtual environment in $(VENV)…"; $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV); }
	@echo "Installing the app's dependencies from requirements.txt (the first time takes about a minute)…"
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run requirements-dev.txt
	@echo "Installing the test tools from requirements-dev.txt…"
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(DB): | $(VENV)/.installed-run
	@echo "Building the demo database $(DB) (a few seconds)…"
	@$(PY) -m etl demo --db $(DB)

run: $(VENV)/.installed-run $(DB)
	@echo "Policy Influence Tracker on http://localhost:$(PORT) — sign in as director, officer or admin (password demo)"
	@# app.py wraps dashboard.py and pages/ in st.App: the sign-in cookie, calendar feed and health routes.
	@TRACKER_DB=$(DB) $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1

demo: $(VENV)/.installed-run
	@$(PY) -m etl demo --db $(DB) --force

test: $(VENV)/.installed-dev lint typecheck unit reliability e2e bench-smoke

lint: $(VENV)/.installed-dev
	@$(VENV)/bin/ruff check --quiet .
	@$(VENV)/bin/ruff format --check --quiet .

typecheck: $(VENV)/.installed-dev
	@$(VENV)/bin/mypy --no-error-summary tracker etl pages dashboard.py app.py

# Unit, service, page and fuzz tests: independent (a database file per test), so two workers.
unit: $(VENV)/.installed-dev
	@$(PY) -m pytest -q -p no:cacheprovider -n 2 tests --ignore=tests/e2e --ignore=tests/reliability --ignore=tests/soak

# Crash, kill, disk-full and concurrency tests time their own processes: one at a time.
reliability: $(VENV)/.installed-dev
	@$(PY) -m pytest -q -p no:cacheprovider tests/reliability

e2e: $(VENV)/.installed-dev
	@if command -v chromium >/dev/null 2>&1; then \
		$(PY) -m pytest -q -p no:cacheprovider tests/e2e; \
	elif [ "$$CI" = "true" ]; then \
		echo "error: chromium is missing; the browser tests must run in CI (apt-get install -y chromium)"; exit 1; \
	else \
		echo "Browser tests skipped: chromium is not installed (apt-get install -y chromium)."; \
	fi

bench: $(VENV)/.installed-dev
	@$(PY) -m benchmarks

bench-smoke: $(VENV)/.installed-dev
	@if [ -d benchmarks ] && [ -f benchmarks/__main__.py ]; then $(PY) -m benchmarks --smoke; fi

# Long reliability runs: 200 SIGKILL cycles, then 10 browser sessions for 2 minutes.
soak: $(VENV)/.installed-dev
	@CRASH_CYCLES=200 $(PY) -m pytest -q -p no:cacheprovider tests/reliability/test_crash.py
	@if command -v chromium >/dev/null 2>&1; then \
		SOAK=1 $(PY) -m pytest -q -p no:cacheprovider -s tests/soak; \
	else \
		echo "error: the soak's browser sessions need chromium (apt-get install -y chromium)"; exit 1; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
