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

run: $(STAMP)
	@echo "Sluiceway's service (tracking API, queue, delivery, web app) lands with issue #4."
	@echo "This build ships the core engine as a library; try: $(BIN)/python -c 'import sluiceway'"
	@exit 1

lint: $(STAMP)
	$(BIN)/ruff check sluiceway tests bench scripts

# Everything: lint, then every suite including the slow ones, with a throwaway
# PostgreSQL cluster (installed from Debian's package if missing) for the store's
# PostgreSQL variants.
test: $(STAMP) lint
	$(BIN)/python scripts/with_postgres.py $(BIN)/python -m pytest -n 2 -q

# For a quick loop while developing: skips suites marked slow.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/route_core.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
