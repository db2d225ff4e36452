# One command each for a newcomer: `make run` (console on the built-in simulator) and
# `make check` (format check, lint, types, the whole test suite). Both bootstrap .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check lint types fmt bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/breakout-console $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff format --check console tests bench
	$(BIN)/ruff check console tests bench

types: $(STAMP)
	$(BIN)/mypy console
	$(BIN)/mypy tests

test: $(STAMP)
	$(BIN)/pytest -q

check: lint types
	$(BIN)/pytest -q

fmt: $(STAMP)
	$(BIN)/ruff format console tests bench
	$(BIN)/ruff check --fix console tests bench

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
