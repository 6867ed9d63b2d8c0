# The single entry point for developer tasks. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system-deps demo test test-full lint typecheck format bench schema docs clean

install: $(STAMP) system-deps

## Debian packages for scans (Tesseract), Word .doc (antiword) and the benchmark (pdftotext).
system-deps:
	@scripts/system-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "registre demande Python 3.11 ou plus récent (trouvé : " + sys.version.split()[0] + ")")'
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { echo "Le module venv de Python manque : sur Debian, installez-le avec « apt-get install python3-venv »."; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## The main job: the web application with the Dijon demo loaded (registre demo).
demo: install
	$(BIN)/registre demo

lint: install
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks

typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## What CI runs (.ci/run): lint, types, the suite with short fuzzing runs (SQLite),
## then the web application's tests again on a PostgreSQL 15 server they start.
test: install lint typecheck
	HYPOTHESIS_PROFILE=ci $(BIN)/pytest -m "not slow" -q
	REGISTRE_TEST_DATABASE=postgresql $(BIN)/pytest -m "not slow" -q tests/web
	$(BIN)/python benchmarks/portal.py --records 10000 --rounds 1

## Long fuzzing and scale runs.
test-full: install
	HYPOTHESIS_PROFILE=full $(BIN)/pytest -q
	REGISTRE_TEST_DATABASE=postgresql HYPOTHESIS_PROFILE=full $(BIN)/pytest -q tests/web

## Benchmarks; installs what they compare with (pdfplumber, WeasyPrint, LibreOffice).
bench: install
	$(BIN)/pip install --quiet -e '.[bench]'
	@scripts/bench-deps
	$(BIN)/python benchmarks/check.py
	$(BIN)/python benchmarks/read.py
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/register.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/live.py
	$(BIN)/python benchmarks/portal.py

## Regenerate docs/record.schema.json and docs/read.schema.json after a change of the
## record or of the output of `registre read`.
schema: install
	$(BIN)/registre schema -o docs/record.schema.json
	$(BIN)/registre schema --read -o docs/read.schema.json

## Regenerate docs/rules.md after a change of the rules' catalogue.
docs: schema
	$(BIN)/registre rules -o docs/rules.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
