# staffcast: `make demo` and `make test` set up everything they need on a fresh
# Debian machine (system packages, a .venv, the Python package), then run.
# A second run with nothing changed takes seconds: every step is a stamp.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
BUILD := build
CPP_BUILD := $(BUILD)/cpp
STAMPS := $(BUILD)/stamps
JOBS ?= 2

SYSTEM_PACKAGES := build-essential cmake ninja-build ccache pkg-config git \
  libeigen3-dev libboost-date-time-dev libtomlplusplus-dev coinor-libclp-dev \
  libgtest-dev libgmock-dev libbenchmark-dev librandom123-dev librandom123-doc \
  python3 python3-dev python3-venv chromium fonts-dejavu-core

CORE_SOURCES := CMakeLists.txt $(shell find include src tools bindings cmake -type f 2>/dev/null)
CPP_SOURCES := $(CORE_SOURCES) $(shell find tests/cpp tests/add_subdirectory examples/cpp benchmarks -type f \
  \( -name '*.cpp' -o -name '*.hpp' -o -name 'CMakeLists.txt' \) 2>/dev/null)
PY_SOURCES := pyproject.toml $(shell find python -type f \( -name '*.py' -o -name '*.pyi' \) 2>/dev/null)

.PHONY: help setup demo notebook test test-cpp test-python cpp python bench compare sanitize fuzz format lint clean

help:
	@echo "make demo   set up and run 'staffcast demo' on the bundled sample"
	@echo "make test   set up and run every C++ (ctest) and Python (pytest) test"
	@echo "make notebook   open the example notebooks in JupyterLab (installs the notebook extra once)"
	@echo "make bench  build and run the Google Benchmark suite"
	@echo "make compare [PERSONS=200000]   staffcast against pandas/numpy (benchmarks/compare.py)"
	@echo "make sanitize   the C++ tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@echo "make fuzz [FUZZ_SECONDS=60]   each libFuzzer target for a bounded time"
	@echo "make format / make lint   clang-format / clang-tidy"

$(STAMPS):
	@mkdir -p $@

$(STAMPS)/system: Makefile scripts/ensure-system-packages.sh | $(STAMPS)
	@scripts/ensure-system-packages.sh $(SYSTEM_PACKAGES)
	@touch $@

$(STAMPS)/venv: pyproject.toml scripts/requirements.py $(STAMPS)/system
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	@$(VPY) -m pip install -q --disable-pip-version-check --upgrade "pip>=23,<27"
	@$(VPY) scripts/requirements.py test > $(BUILD)/requirements.txt
	@$(VPY) -m pip install -q --disable-pip-version-check -r $(BUILD)/requirements.txt "ninja>=1.11,<2"
	@touch $@

# The Python package, editable, with a persistent scikit-build-core build directory.
$(STAMPS)/python: $(STAMPS)/venv $(CORE_SOURCES) $(PY_SOURCES)
	@echo "building the Python module"
	@$(VPY) -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps -e .
	@touch $@

python: $(STAMPS)/python

$(CPP_BUILD)/build.ninja: $(STAMPS)/system
	@cmake -S . -B $(CPP_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

cpp: $(CPP_BUILD)/build.ninja
	@cmake --build $(CPP_BUILD) -j $(JOBS)

setup: cpp python

test-cpp: cpp python  # plan_example_matches_cli runs the CLI: the module must be current
	@ctest --test-dir $(CPP_BUILD) --output-on-failure -j $(JOBS)

test-python: python
	@$(VPY) -m pytest -q tests/python

test: test-cpp test-python

demo: python
	@$(VENV)/bin/staffcast demo

# The example notebooks in JupyterLab (the `notebook` extra, installed once).
$(STAMPS)/notebook: pyproject.toml $(STAMPS)/venv
	@$(VPY) scripts/requirements.py notebook > $(BUILD)/requirements-notebook.txt
	@$(VPY) -m pip install -q --disable-pip-version-check -r $(BUILD)/requirements-notebook.txt
	@touch $@

notebook: python $(STAMPS)/notebook
	@$(VENV)/bin/jupyter lab examples/notebooks

bench: cpp
	@$(CPP_BUILD)/benchmarks/staffcast_bench

PERSONS ?= 200000
compare: python
	@$(VPY) benchmarks/compare.py --persons $(PERSONS) --out $(BUILD)/compare-$(PERSONS).json

sanitize: $(STAMPS)/system
	@scripts/sanitize.sh ci-sanitize

FUZZ_SECONDS ?= 60
fuzz: $(STAMPS)/system
	@scripts/fuzz.sh $(FUZZ_SECONDS)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

lint: cpp
	@git ls-files 'src/*.cpp' 'tools/*.cpp' | xargs clang-tidy -p $(CPP_BUILD) --quiet

clean:
	rm -rf $(BUILD)
