# The two commands a new user needs: `make book` and `make test`. Each sets itself up from
# nothing: it (re)creates .venv when it is missing or older than the lock of exact versions.
SHELL := /bin/bash
# pipefail: a recipe that pipes (pip's output through the filter below) fails when its command does.
.SHELLFLAGS := -o pipefail -ec
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
PIP := $(BIN)/python -m pip --disable-pip-version-check
# Some machines' pip configuration names local package folders that do not exist; pip then
# warns once per package. The warning is harmless; hide it so the output stays readable.
QUIET_PIP := sed -u '/^WARNING: Location .* is ignored: it is neither a file nor a directory/d'
# The data are checked first, so a malformed value stops with one line naming the file, row,
# column and value rather than a failed notebook.
CHECK_DATA := $(BIN)/python -m analysis.paper
# Builds strictly (jupyter-book build . --all -W --keep-going) into _build/next and replaces
# _build/html only when the build succeeds: a failure keeps the last good book, prints one line
# (chapter, cell, error) and leaves the whole output in _build/logs/build.log. `make test` passes
# --reuse: a book built from exactly the same sources (book/, analysis/, data/, the lock, ...)
# is not built again.
BUILD := $(BIN)/python book/_tools/build_book.py
CHAPTERS := $(wildcard book/[0-9]*.md)
PORT ?= 8000

.PHONY: help setup book test notebooks lab serve lint format lock references check-references \
	data-checksums data-edits nbval screenshots benchmark fuzz mutation dist clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

# A virtual environment with exactly the versions of a lock file: $(call venv,DIR,LOCK).
define venv
	@echo "Setting up $(1) from $(2) (a minute or two the first time)"
	rm -rf $(1)
	$(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip --disable-pip-version-check install --quiet --require-hashes \
		--no-deps -r $(2) 2>&1 | $(QUIET_PIP)
	PYTHONWARNINGS=ignore $(1)/bin/python -m pip --disable-pip-version-check install --quiet --no-deps \
		--no-build-isolation --editable . 2>&1 | $(QUIET_PIP)
	touch $(1)/.installed
endef

$(STAMP): $(LOCK) pyproject.toml
	$(call venv,$(VENV),$(LOCK))

# JupyterLab lives in its own environment (same versions plus JupyterLab): installed into
# .venv it would slow every build and test run (see pyproject.toml).
LAB_VENV := .venv-lab
LAB_LOCK := requirements-lab.lock
$(LAB_VENV)/.installed: $(LAB_LOCK) pyproject.toml
	$(call venv,$(LAB_VENV),$(LAB_LOCK))

# The benchmark's peers (statsmodels, PyMARE) live in their own environment too: the same
# versions as .venv plus those two.
BENCH_VENV := .venv-bench
BENCH_LOCK := requirements-benchmark.lock
$(BENCH_VENV)/.installed: $(BENCH_LOCK) pyproject.toml
	$(call venv,$(BENCH_VENV),$(BENCH_LOCK))

setup: $(STAMP) ## Create .venv with the locked versions (done by every target that needs it)

book: $(STAMP) ## Build the HTML book into _build/html (chapters run when their code or inputs changed)
	$(CHECK_DATA)
	$(BUILD)
	@echo
	@echo "The book is built. Open: file://$(CURDIR)/_build/html/index.html"
	@echo "(or run 'make serve' and browse http://127.0.0.1:$(PORT)/)"

test: $(STAMP) ## Build the book strictly (unless it is current), then run every test
	$(CHECK_DATA)
	$(BUILD) --reuse
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || echo "NOTE: Chromium is not installed, so \
	the browser tests (tests/browser) will be SKIPPED. Install it: apt-get install chromium"
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

# One archive of the offline book: the built book (with the data package and the executed
# notebooks in downloads/), built first unless current, zipped by book/_tools/make_dist.py.
dist: $(STAMP) ## Zip the built book (data and notebooks included) into dist/ketamine-crps-<version>.zip with dist/SHA256SUMS
	$(CHECK_DATA)
	$(BUILD) --reuse
	$(BIN)/python book/_tools/make_dist.py

notebooks: $(STAMP) ## Re-execute each chapter and store the result in its paired .ipynb
	$(BIN)/python book/_tools/store_notebooks.py $(CHAPTERS)

# JupyterLab refuses to start as root (the default user of many containers) without --allow-root;
# the flag is passed only then (tests/release/test_make_lab.py).
ALLOW_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(LAB_VENV)/.installed ## Open the chapters in JupyterLab (charts as static SVG, offline)
	KETAMINE_BOOK_RENDERER=svg $(LAB_VENV)/bin/jupyter lab --notebook-dir=book $(ALLOW_ROOT)

serve: ## Serve the built book on http://127.0.0.1:$(PORT)/ (build it first with make book)
	@test -f _build/html/index.html || { echo "No built book: run 'make book' first."; exit 1; }
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# The chapters' code cells are formatted and linted in their .md sources, through jupytext.
CELL := --stdin-filename book/chapter.py -

lint: $(STAMP) ## Check formatting and lint (ruff), and the import contracts of the package's rooms
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupytext --quiet \
		--check "ruff format --check $(CELL)" --check "ruff check $(CELL)" $(CHAPTERS)

format: $(STAMP) ## Format and fix with ruff (package, tests and chapters)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupytext --quiet \
		--pipe "ruff check --fix --quiet $(CELL)" --pipe "ruff format $(CELL)" $(CHAPTERS)

lock: $(STAMP) ## Re-resolve the two lock files from pyproject.toml (needs the package index)
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--extra book --extra test --extra dev -o $(LOCK) pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--extra book --extra test --extra dev --extra lab -c $(LOCK) -o $(LAB_LOCK) pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--extra book --extra test --extra dev --extra benchmark -c $(LOCK) -o $(BENCH_LOCK) \
		pyproject.toml

REFERENCES := $(wildcard tests/reference/metafor_*.R)

references: ## Regenerate the stored R reference values (needs r-base-core, r-cran-metafor)
	for script in $(REFERENCES); do Rscript $$script || exit 1; done

check-references: $(STAMP) ## Re-run the R scripts and compare with the stored values (CI)
	mkdir -p _build/references
	for script in $(REFERENCES); do \
		name=$$(basename $$script .R); \
		Rscript $$script _build/references/$$name.json || exit 1; \
		$(BIN)/python -m tests.reference.compare tests/reference/$$name.json \
			_build/references/$$name.json || exit 1; \
	done

data-checksums: $(STAMP) ## Record the sha256 of each data file in data/datapackage.json
	$(BIN)/python -m analysis.paper.checksums --write

data-edits: $(STAMP) ## Run every chapter on each edit of the data-edit corpus (tests/data_edits/)
	$(BIN)/python -m tests.data_edits

nbval: $(STAMP) ## Re-execute the stored notebooks (book/*.ipynb) with nbval and compare their checked cells
	$(BIN)/python -m pytest -p no:cacheprovider -q -n auto --dist loadfile --nbval-lax \
		--nbval-current-env book/*.ipynb

screenshots: $(STAMP) ## Run the browser tests on the built book, saving screenshots to _build/screenshots
	SCREENSHOTS=1 $(BIN)/python -m pytest -p no:cacheprovider -q -n 2 tests/browser/test_pages.py

benchmark: $(BENCH_VENV)/.installed ## Time pool() beside statsmodels, PyMARE, metafor and numpy; pool_batch(); begg(); the GLMM and glmm_batch(); the multiverses (not a test)
	$(BENCH_VENV)/bin/python -m tests.benchmarks.bench_peers
	$(BENCH_VENV)/bin/python -m tests.benchmarks.bench_pool
	$(BENCH_VENV)/bin/python -m tests.benchmarks.bench_batch
	$(BENCH_VENV)/bin/python -m tests.benchmarks.bench_begg
	$(BENCH_VENV)/bin/python -m tests.benchmarks.bench_glmm
	$(BENCH_VENV)/bin/python -m tests.benchmarks.bench_glmm_batch
	$(BENCH_VENV)/bin/python -m tests.benchmarks.bench_multiverse

fuzz: $(STAMP) ## Run the library's property tests with 2,000 fresh examples each (minutes; not a test)
	$(BIN)/python -m pytest -p no:cacheprovider -q --hypothesis-profile=fuzz \
		tests/library/test_*_properties.py

# Mutation testing: every small change of the statistics core must fail a test. Slow (each of
# several hundred mutants runs the module's tests), so not part of `make test`.
# MUTATION_ARGS: modules to mutate and options, e.g. MUTATION_ARGS="bias --jobs 2".
MUTATION_ARGS ?=
mutation: $(STAMP) ## Mutation testing of pooling, tau2, heterogeneity and bias (slow; prints the scores)
	$(BIN)/python -m tests.mutation.mutate $(MUTATION_ARGS)

clean: ## Remove the built book (keeps .venv)
	rm -rf _build
