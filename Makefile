# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Tracking API, management API, web app and workers on the embedded SQLite default
# (data in ./.sluiceway); HOST/PORT override where it listens.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP)
	$(BIN)/sluiceway serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check sluiceway tests bench scripts

# Everything: lint, then every suite including the slow ones, with a throwaway
# PostgreSQL cluster (installed from Debian's package if missing) for the store's
# PostgreSQL variants, and Debian's chromium (installed if missing) for the web app's
# browser tests.
test: $(STAMP) lint
	$(BIN)/python scripts/debian_packages.py chromium=/usr/bin/chromium
	$(BIN)/python scripts/with_postgres.py $(BIN)/python -m pytest -n 2 -q

# For a quick loop while developing: skips suites marked slow.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/route_core.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
