# Two commands set up and run everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8050
# the versions tested: every pip install here is constrained by them (`make constraints`)
CONSTRAINTS := constraints.txt
PIP    := $(BIN)/pip install -q -c $(CONSTRAINTS)
# nomenclature-iamc (validates the IAMC export against definitions/) pins pandas<3, which
# the project does not need: it and the dependencies only it uses are installed without
# dependency resolution, at the versions of the constraints file
NOMENCLATURE := nomenclature-iamc GitPython gitdb smmap pycountry pysquirrel
DEBIAN := chromium chromium-driver fonts-noto-cjk libudunits2-0

.PHONY: run test lint format bench bench-export browser debian definitions constraints clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# the project, its runtime dependencies and the web app ([web])
$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) -e '.[web]'
	touch $@

# plus the test tools ([dev]: pytest, hypothesis, ruff, dash[testing], flodym, pyam ([iamc]),
# cf_xarray, cfunits) and nomenclature-iamc
$(VENV)/.installed-dev: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) -e '.[dev]'
	$(PIP) --no-deps $(NOMENCLATURE)
	touch $@ $(VENV)/.installed

# from Debian: headless Chromium, its driver and a CJK font (browser tests, the briefing's
# PDF and screenshot) and libudunits2 (cfunits checks the NetCDF units)
debian:
	@missing=""; for p in $(DEBIAN); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing from Debian"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

browser: debian

run: $(VENV)/.installed
	$(BIN)/parkcap serve --host $(HOST) --port $(PORT)

# the suite in two processes, one test file each at a time (a file's browser and server
# fixtures stay in one process)
test: $(VENV)/.installed-dev debian
	$(BIN)/ruff check model dashboard tests benchmarks
	$(BIN)/ruff format --check model dashboard tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check model dashboard tests benchmarks
	$(BIN)/ruff format --check model dashboard tests benchmarks

format: $(VENV)/.installed-dev
	$(BIN)/ruff format model dashboard tests benchmarks
	$(BIN)/ruff check --fix model dashboard tests benchmarks

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_simulate.py

# full-draw NetCDF export: file size, time and peak memory for 1,000 and 10,000 draws
bench-export: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_export.py

# the IAMC codelists in definitions/, from the stages (a test fails when they are stale)
definitions: $(VENV)/.installed
	$(BIN)/python -c "from model.export import write_definitions; write_definitions()"

# the constraints file, from the working .venv (the project itself left out)
constraints: $(VENV)/.installed-dev
	{ echo "# The versions tested: pip freeze of .venv by 'make constraints' (parkcap itself left out)."; \
	  echo "# Every pip install of the Makefile (and so CI) is constrained by it."; \
	  $(BIN)/pip freeze --exclude-editable | grep -v -i '^parkcap[= ]'; } > $(CONSTRAINTS).tmp
	mv $(CONSTRAINTS).tmp $(CONSTRAINTS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
