PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench fuzz crash clean-venv train-html

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

# Long fuzzing run: FUZZ_EXAMPLES examples per property, fresh randomness, counts printed.
FUZZ_EXAMPLES ?= 20000
fuzz: $(STAMP)
	CLEANER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py -p no:cacheprovider \
		--hypothesis-show-statistics -q

# Crash-safety trials at a larger scale than CI's (CRASH_TRIALS, CRASH_FILES).
CRASH_TRIALS ?= 100
CRASH_FILES ?= 3000
crash: $(STAMP)
	CLEANER_CRASH_TRIALS=$(CRASH_TRIALS) CLEANER_CRASH_FILES=$(CRASH_FILES) \
		$(BIN)/python -m pytest tests/test_crash.py -q -s

# Retrain the HTML block model (cleaner/htmlmodel.json) on ../shared/eval; needs the `train` extra.
train-html: $(STAMP)
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python training/train_html.py

clean-venv:
	rm -rf $(VENV)
