# Two commands for a newcomer (Python 3.11 on PATH as python3):
#   make demo   set up, then crawl the bundled sample outlet into ./output (works offline)
#   make test   set up, then run the checks and the whole test suite (what CI runs)
# and one for every change:
#   make check  lint and the fast tier: tests that start no process or service (-m "not slow")
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: setup demo test check lint

$(BIN)/newsbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

setup: $(BIN)/newsbot

demo: setup
	$(BIN)/newsbot demo --output output

lint: setup
	$(BIN)/ruff check newsbot tests bench
	$(BIN)/ruff format --check newsbot tests bench
	$(BIN)/mypy

# tests run on two processes (pytest-xdist); PYTEST_WORKERS=0 runs them in this one
PYTEST_WORKERS ?= 2

check: lint
	$(BIN)/python -m pytest -m "not slow" -n $(PYTEST_WORKERS) -q

test: lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=15
