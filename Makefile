# Backstride: two commands on a fresh machine.
#   make run   set everything up and start the web app at http://127.0.0.1:8000
#   make test  set everything up and run every check and test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser tests also need Chromium (Debian's, never a download) and npm's axe-core.
TEST_STAMP := $(VENV)/.test-system

# The engine, the content loader and the programme logic must stay fully branch-covered.
FULL_COVERAGE := */backstride/triage/*,*/backstride/content/*,*/backstride/programme/*,*/backstride/domain/expressions.py,*/backstride/domain/answers.py

.PHONY: run test setup test-system system lint typecheck docs bench audit clean

$(STAMP): pyproject.toml package.json package-lock.json scripts/setup-system.sh scripts/vendor-assets.sh
	bash scripts/setup-system.sh
	bash scripts/vendor-assets.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

$(TEST_STAMP): scripts/setup-test-system.sh
	bash scripts/setup-test-system.sh
	@mkdir -p $(VENV) && touch $(TEST_STAMP)

test-system: $(TEST_STAMP)

# The web app on the embedded SQLite database, with a labelled demo clinician and person.
run: setup
	$(BIN)/backstride serve --demo

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy src tests

# The whole suite runs inside a throwaway PostgreSQL cluster in a temporary folder (-t: it
# never touches or collides with the machine's own clusters; pg_virtualenv sets PGHOST and
# friends), so the storage tests run for real on PostgreSQL as well as SQLite. It includes the
# browser tests (tests/e2e: Playwright driving /usr/bin/chromium, axe-core on every page;
# screenshots in build/screenshots/). test-system comes first so npm is there for setup.
PG_OPTIONS := -o log_checkpoints=off -o log_min_messages=warning -o log_min_error_statement=panic

test: test-system lint typecheck
	pg_virtualenv -t $(PG_OPTIONS) env BACKSTRIDE_REQUIRE_POSTGRES=1 \
		BACKSTRIDE_HYPOTHESIS_PROFILE=repeatable $(BIN)/pytest --cov --cov-branch --cov-report=
	$(BIN)/coverage report --fail-under=90
	$(BIN)/coverage report --include='$(FULL_COVERAGE)' --fail-under=100

docs: setup
	$(BIN)/backstride rules --markdown > docs/reference/rules.md
	$(BIN)/typer backstride.cli.main utils docs --name backstride --output docs/reference/cli.md

# Figures, not tests (each prints what it measures). The web, load and durability runs take
# several minutes each; the gait validation rewrites docs/validation/gait.md.
bench: setup
	$(BIN)/python bench/assess.py
	$(BIN)/python bench/plan.py
	$(BIN)/python bench/diary.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/load.py --database sqlite --workers 3
	$(BIN)/python bench/durability.py --kills 30
	$(BIN)/python bench/gait_validation.py

audit: setup
	$(BIN)/python -m tests.vignettes.audit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage build dist node_modules src/backstride/web/static/vendor
