# The front door. `make` alone lists the targets.
#
# Only python3 (3.11+) and make are assumed: `make setup` builds .venv from requirements.lock
# with uv (installed into the venv from PyPI), or with plain pip when INSTALLER=pip.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON    ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
INSTALLER ?= uv
STAMP     := $(VENV)/.installed

EXPORT ?= data/sample
OUT    ?=
SEED   ?= 20261122
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
NAMES  ?= 0
SET    ?=
GRAPHS ?= ../shared/datasets
DATASETS ?= ../shared/datasets

EXPORTS ?= build/sample-cohort
MEMBERS ?= 40

.PHONY: help setup report cohort test test-lab lab bench validate validate-feed mechanisms fit sample sample-cohort \
	sample-later lock clean

help: ## list the targets
	@echo "Usage: make TARGET [EXPORT=path/to/export.zip] [OUT=reports/name] [SEED=n] [NAMES=1] [SET=\"name=value ...\"]"
	@echo
	@grep -hE '^[a-z][a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort \
	  | awk 'BEGIN {FS = ":.*## "} {printf "  %-14s %s\n", $$1, $$2}'

setup: $(STAMP) ## build the virtual environment in .venv (idempotent)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "python3 3.11 or newer is needed, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
ifeq ($(INSTALLER),pip)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock -e .
else
	$(BIN)/python -m pip install --quiet uv
	UV_COMPILE_BYTECODE=1 $(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
endif
	@touch $@

report: $(STAMP) ## render the HTML report of EXPORT (default: the bundled sample) into OUT
	@$(BIN)/python -m helpers.report --export "$(EXPORT)" $(if $(OUT),--out "$(OUT)") \
	  --seed $(SEED) --jobs $(JOBS) $(if $(filter 1 yes true,$(NAMES)),--names) $(foreach s,$(SET),--set "$(s)") \
	  $(if $(BEFORE),--before "$(BEFORE)")

test: $(STAMP) ## run every test: helpers, nbval notebooks, the reader's quirks, report and browser checks
	$(BIN)/nbstripout --verify --keep-id notebooks/*.ipynb tests/*.ipynb
	$(BIN)/python -m pytest -q --color=no -n auto --dist loadfile --no-loadscope-reorder

test-lab: $(STAMP) ## run the notebooks in JupyterLab, driven in Debian's chromium (slow; CI runs it beside `make test`)
	$(BIN)/python -m pytest -q --color=no -m lab tests/test_lab.py

lab: $(STAMP) ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP) ## print the speed and memory figures
	@$(BIN)/python benchmarks/bench.py

validate: $(STAMP) ## validate the reach model on the real graphs in GRAPHS, by regime and out of sample
	@$(BIN)/python -m helpers.model.validate --graphs "$(GRAPHS)"

validate-feed: $(STAMP) ## the feed model beside 63 real feed cards and the published feed figures (pass/fail)
	@$(BIN)/python -m helpers.model.feed --validate

mechanisms: $(STAMP) ## refit the reach overlap laws on the graphs in GRAPHS (data/reach_mechanisms.csv)
	@$(BIN)/python -m helpers.model.mechanisms --graphs "$(GRAPHS)"

cohort: $(STAMP) ## judge the claims about "most users" across the exports in EXPORTS (a folder) into OUT
	@$(BIN)/python -m helpers.report.cohort --exports "$(EXPORTS)" $(if $(OUT),--out "$(OUT)") --seed $(SEED) \
	  --jobs $(JOBS)

fit: $(STAMP) ## refit the audience model on the post datasets in DATASETS (writes data/audience_fit.json)
	@$(BIN)/python -m helpers.model.audience_fit --datasets "$(DATASETS)"

sample: $(STAMP) ## regenerate the bundled sample export in data/sample (deterministic)
	rm -rf data/sample
	$(BIN)/python -m helpers.export.synth --out data/sample

sample-cohort: $(STAMP) ## write MEMBERS invented members' exports into build/sample-cohort (for make cohort)
	rm -rf build/sample-cohort
	$(BIN)/python -m helpers.export.synth_cohort --out build/sample-cohort --members $(MEMBERS)

sample-later: $(STAMP) ## write the sample's member 150 days on into build/later (make report EXPORT=build/later BEFORE=...)
	rm -rf build/later
	$(BIN)/python -m helpers.export.synth_later --earlier data/sample --out build/later

lock: $(STAMP) ## re-pin requirements.lock from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean: ## remove the environment and generated reports (keeps data/)
	rm -rf $(VENV) build .pytest_cache
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
