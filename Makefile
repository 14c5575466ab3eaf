# Two commands for a clinic's IT person and a contributor: `make run`, `make test`.
# Each creates .venv if missing, installs the project into it, and (as root on
# Debian) installs the system libraries Qt needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test soak deps system-deps bench screenshots clean

run: deps
	$(BIN)/taperdesk

demo: deps
	$(BIN)/taperdesk --demo

test: deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider -n 2  # both cores: the suite stays under 3 minutes

soak: deps
	TAPERDESK_HYPOTHESIS=soak TAPERDESK_SOAK=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

bench: deps
	$(BIN)/python bench/bench_planner.py
	$(BIN)/python bench/bench_quality.py
	test -f bench/out/clinic.sqlite || $(BIN)/python bench/make_clinic.py --out bench/out/clinic.sqlite
	$(BIN)/python bench/bench_storage.py --db bench/out/clinic.sqlite
	$(BIN)/python bench/bench_observations.py --db bench/out/clinic.sqlite
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_first_open.py --db bench/out/clinic.sqlite --runs 3
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_gui.py --db bench/out/clinic.sqlite
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_calendar.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_plot.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_long_history.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_screens.py --db bench/out/clinic.sqlite
	$(BIN)/python bench/bench_handout.py
	$(BIN)/python bench/bench_tamper.py
	$(BIN)/python bench/bench_pharmacy.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_print.py
	$(BIN)/python bench/bench_today.py --db bench/out/clinic.sqlite
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_patient_list.py --db bench/out/clinic.sqlite
	$(BIN)/python bench/bench_server.py --db bench/out/clinic.sqlite  # the same two on a throw-away PostgreSQL

screenshots: deps
	xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python scripts/screenshots.py

deps: system-deps $(STAMP)

system-deps:
	@sh scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "TaperDesk needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis

