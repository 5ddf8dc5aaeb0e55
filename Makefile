# Two commands for a newcomer (Python 3.11 on PATH as python3):
#   make demo   set up, then crawl the bundled sample outlet into ./output (works offline)
#   make test   set up, then run the checks and the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: setup demo test lint

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

test: lint
	$(BIN)/python -m pytest
