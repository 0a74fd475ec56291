# Two set-up commands: `make build` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
LOCK := requirements.lock
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: build test serve check lint bench clean browser-deps

build: $(VENV)/.built-deps
	$(VENV)/bin/kb build
	$(VENV)/bin/kb stats --readme

test: $(VENV)/.test-deps browser-deps
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/kb check
	$(VENV)/bin/kb stats --readme
	$(PY) -m pytest

serve: $(VENV)/.built-deps
	$(VENV)/bin/kb serve

check: $(VENV)/.built-deps
	$(VENV)/bin/kb check

bench: $(VENV)/.test-deps
	$(PY) -m bench.run_all

# The CPU wheel of torch lies on this machine's disk: install it by exact version first,
# so that sentence-transformers does not pull a multi-GB CUDA build.
$(VENV)/.built-deps: pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -c $(LOCK) torch==2.13.0
	$(PIP) install -c $(LOCK) -e '.[embed]'
	touch $@

$(VENV)/.test-deps: $(VENV)/.built-deps
	$(PIP) install -c $(LOCK) -e '.[embed,test,zensical]'
	touch $@

# Browser tests drive Debian's chromium; never `playwright install` (it downloads a browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf site build .cache .pytest_cache .mypy_cache
