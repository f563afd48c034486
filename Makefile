# Cramp Journal. `make run` serves the app with a demo account, and runs the worker and the
# scheduler beside it (Procfile); `make test` runs every check.
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=1 SECRET_KEY=development-only-secret-key
PYTEST_ARGS ?=

.PHONY: run test test-clocks setup pins clean bench bench-quick serve mutants mutants-report calibration

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found (see the message above)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pins change.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	@echo "Cramp Journal: http://127.0.0.1:8000 (log in with the demo login above)."
	@echo "The web server, the worker and the scheduler run together (Procfile); Ctrl-C stops all."
	$(DEV_ENV) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start

test: setup
	@scripts/ensure-system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/mypy
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# The whole suite again with the clock started at each of these instants (TEST_CLOCK, read by
# tests/conftest.py), so that no test depends on the day it runs: winter, summer, a leap day,
# either side of the spring-forward hour in Europe/London (alice's zone), the repeated hour of
# the autumn change in America/New_York (bob's), and just before midnight on New Year's Eve and
# noon (the default night boundary) in London. Keep them later than 2026-11-22, the latest instant
# a test stops the clock at: many tests sign in on the running clock and then stop it, and a jump
# of more than the 14-day session forward from there would sign them out.
CLOCKS ?= 2027-01-15T10:00:00+00:00 2027-07-15T14:00:00+00:00 2028-02-29T03:30:00+00:00 \
	2027-03-28T00:30:00+00:00 2027-03-28T01:30:00+00:00 \
	2027-11-07T05:30:00+00:00 2027-11-07T06:30:00+00:00 \
	2027-12-31T23:58:00+00:00 2027-06-30T10:58:00+00:00
test-clocks: setup
	@scripts/ensure-system-packages
	@failed=""; for clock in $(CLOCKS); do \
		echo "TEST_CLOCK=$$clock"; \
		TEST_CLOCK=$$clock $(DEV_ENV) $(BIN)/pytest -q $(PYTEST_ARGS) || failed="$$failed $$clock"; \
	done; \
	if [ -n "$$failed" ]; then echo "Failed with the clock at:$$failed"; exit 1; fi

# Production: migrate, collectstatic, check --deploy, then gunicorn (README "Running in
# production"; the environment must hold the production settings).
serve: setup
	scripts/serve

# Benchmark on a fresh PostgreSQL database (127.0.0.1:5432): ten years of data, server time per
# page, gunicorn under load. Writes docs/benchmarks.md and bench/results.json (under 10 minutes).
# `make bench ARGS=--quick` (or `make bench-quick`) is a small run written to bench/quick/.
ARGS ?=
bench: setup
	$(BIN)/python -m bench.run $(ARGS)

bench-quick: setup
	$(BIN)/python -m bench.run --quick $(ARGS)

# The experiments' analysis on simulated journals: power, false claims and interval coverage
# (the README's table; JOURNALS per cell, about 2 minutes per 100).
JOURNALS ?= 1000
calibration: setup
	$(BIN)/python scripts/experiment-calibration $(JOURNALS)

# Mutation testing of the night rule, sleep metrics, statistics and analysis (README "Mutation
# testing"; not part of `make test`): a fresh run each time, about 25 minutes of CPU on 2 cores.
# mutmut makes the mutants inside functions (pyproject.toml, [tool.mutmut]), then
# scripts/mutants.py those it leaves out (constants, class bodies), then one summary.
MUTANT_WORKERS ?= 2
mutants: setup
	rm -rf mutants
	$(DEV_ENV) $(BIN)/mutmut run --max-children $(MUTANT_WORKERS)
	$(DEV_ENV) MUTANT_WORKERS=$(MUTANT_WORKERS) $(BIN)/python scripts/mutants.py extra
	$(BIN)/python scripts/mutants.py summary

# Every mutant the last `make mutants` left alive, by module, with its diff.
mutants-report:
	@$(BIN)/python scripts/mutants.py summary
	@$(BIN)/python scripts/mutants.py report

# Regenerate the exact pins from requirements*.in (needs network access to PyPI).
pins: setup
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) staticfiles mutants
