# Two commands set up and run everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8050

.PHONY: run test lint format bench browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# the project and its runtime dependencies
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# plus the test tools (pytest, hypothesis, ruff, dash[testing], flodym)
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

# headless Chromium, its driver and a CJK font, from Debian's packages (browser tests)
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
		echo "installing chromium, chromium-driver and fonts-noto-cjk from Debian"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; \
	fi

run: $(VENV)/.installed
	$(BIN)/parkcap serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev browser
	$(BIN)/ruff check model dashboard tests benchmarks
	$(BIN)/ruff format --check model dashboard tests benchmarks
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check model dashboard tests benchmarks
	$(BIN)/ruff format --check model dashboard tests benchmarks

format: $(VENV)/.installed-dev
	$(BIN)/ruff format model dashboard tests benchmarks
	$(BIN)/ruff check --fix model dashboard tests benchmarks

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_simulate.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
