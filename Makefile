# The whole set-up on a fresh machine: `make run` or `make test` (both install first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser test lint typecheck unit run lock bench scenarios clean

install: $(STAMP) browser

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives it; no browser download), with Japanese and Korean
# fonts so screenshots show the originals. Skipped with a note where apt is not available; the browser tests
# then skip with that reason.
BROWSER_PACKAGES := chromium fonts-ipafont-gothic fonts-nanum
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list | grep -qi nanum; } || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && \
	    apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1; }; }; } || \
	  echo "note: Debian's chromium could not be installed: browser tests will be skipped"

lint: install
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

test: lint typecheck unit

# The web application on the embedded default (SQLite, bundled packs and lists, the sample portfolio),
# at http://127.0.0.1:8000; it prints a demo API key per role. Ctrl-C stops it.
run: install
	$(BIN)/clearance serve --demo

scenarios: install
	$(PYTHON) ../shared/tools/check-scenarios

bench: install
	$(BIN)/python bench/determine.py

# Re-pin requirements.lock from pyproject.toml in a throw-away environment.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[dev,spark]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^clearance' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
