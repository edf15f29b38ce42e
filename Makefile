# NHS social media influence: one place for every command. `make` or `make help` lists them.
# Works on a fresh clone with Python 3.11+ and make: the first target that needs the
# environment creates .venv and installs the project into it.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The project's Jupyter kernel (src/batch/kernel.py), registered inside .venv so it goes with it.
KERNEL := $(VENV)/share/jupyter/kernels/nhs-influence/kernel.json
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k features -x"`.
PYTEST_ARGS ?=
# Extra arguments for the batch, e.g. `make run RUN_ARGS="--years 2024 --steps features"`; a
# re-run skips the steps whose inputs, parameters and code did not change (RUN_ARGS=--force
# redoes them; RUN_ARGS=--dry-run lists what would run and why).
RUN_ARGS ?=

.PHONY: help install run sample test test-fast lint format lab bench clean clean-outputs

help: ## Show this help
	@echo "Usage: make <target>"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), f"Python 3.11 or newer is needed, found {sys.version.split()[0]} at {sys.executable}"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

$(KERNEL): $(STAMP)
	$(BIN)/nhs-influence kernel

install: $(KERNEL) ## Create .venv (if absent), install the project with its test tools, register its Jupyter kernel
	@$(BIN)/python -c 'import src; print("nhs-influence", src.__version__, "installed in $(VENV)")'

sample: $(STAMP) ## Write the bundled simulated sample to data/raw (only if absent)
	$(BIN)/nhs-influence sample

run: sample $(KERNEL) ## Run the pipeline for every year in data/raw (unchanged steps skipped); ends with reports/index.html
	$(BIN)/nhs-influence run $(RUN_ARGS)

test: $(KERNEL) ## Run the whole test suite: unit, notebooks (nbval), end-to-end
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(KERNEL) ## The inner loop: unit tests only (no notebooks, no end-to-end runs, no browser, nothing marked slow)
	$(BIN)/python -m pytest tests -m "not e2e and not slow" $(PYTEST_ARGS)

lint: $(STAMP) ## Check lint, format and types (ruff, ruff format, mypy); CI runs it
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP) ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lab: $(KERNEL) ## Open JupyterLab on the notebooks, new notebooks on the project kernel "nhs-influence (.venv)"
	$(BIN)/jupyter lab notebooks/ --MappingKernelManager.default_kernel_name=nhs-influence

bench: $(STAMP) ## Run the benchmarks and print their figures (bench_run.py: each step of `make run`, kernel start-up)
	@if ls benchmarks/*.py >/dev/null 2>&1; then for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done; else echo "No benchmarks yet."; fi

clean-outputs: ## Delete processed data and rendered reports (raw data and the sample stay)
	rm -rf data/processed/[0-9]* data/processed/run_manifest.json reports/[0-9]* reports/index.html reports/_screenshots

clean: clean-outputs ## Also delete the environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
