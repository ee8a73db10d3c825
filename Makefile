PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench fuzz clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint,dask]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo-out
	$(BIN)/cleaner clean fixtures/demo --output-dir demo-out
	@echo "cleaned copies are in demo-out/"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check cleaner tests benchmarks
	$(BIN)/mypy cleaner

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH)

clean-venv:
	rm -rf $(VENV)
