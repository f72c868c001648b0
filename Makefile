# The README's commands. Each sets itself up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

# Two lock files (and the image's, deploy/requirements.lock: the runtime part of the first at the same pins),
# each with every package's hashes: requirements.lock pins all the Python
# packages the tests ran with (the runtime dependencies, the `test` and `dev` extras, pip, and
# setuptools, the build backend of the editable install, so nothing unpinned is fetched), and
# requirements-uv.lock pins uv. uv, not pip-tools: here `uv pip compile` resolves the same pins in
# seconds where pip-compile took 7 minutes, and `uv pip sync` installs the lock in about a minute
# where pip took 6 to 7 (parallel downloads), and makes the venv exactly the lock, removing what it
# no longer lists. uv lives in a venv of its own (.venv-uv), installed by pip from its lock.
LOCK := requirements.lock
UV_LOCK := requirements-uv.lock
# The image's lock (deploy/Dockerfile): the runtime dependencies only, at requirements.lock's pins.
RUNTIME_LOCK := deploy/requirements.lock
UV_VENV := .venv-uv
UV := $(UV_VENV)/bin/uv
# What requirements.lock holds besides pyproject.toml's dependencies: pip, and [build-system] requires.
LOCK_EXTRAS := 'pip' 'setuptools>=68'
# `make lock` keeps the pins that still satisfy pyproject.toml; to move them:
#   make lock LOCK_FLAGS=--upgrade                  (everything, uv too)
#   make lock LOCK_FLAGS='--upgrade-package ruff'   (one package)
LOCK_FLAGS ?=
COMPILE = $(UV) pip compile --quiet --generate-hashes --python-version 3.11 \
	--custom-compile-command 'make lock' $(LOCK_FLAGS)

.PHONY: demo test lint bench install lock clean chromium libreoffice wrk

$(UV): $(UV_LOCK)
	rm -rf $(UV_VENV)
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet --require-hashes -r $(UV_LOCK)
	touch $(UV)

# Installs exactly the lock (--require-hashes refuses anything unpinned or altered), then the
# project itself without dependencies; `uv pip check` fails if the lock no longer satisfies
# pyproject.toml (then run `make lock`).
$(STAMP): pyproject.toml $(LOCK) $(UV)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	$(UV) pip check --python $(BIN)/python
	touch $(STAMP)

lock: $(UV)
	printf '%s\n' $(LOCK_EXTRAS) | $(COMPILE) --extra test --extra dev -o $(LOCK) pyproject.toml -
	printf '%s\n' $(LOCK_EXTRAS) | $(COMPILE) --constraint $(LOCK) -o $(RUNTIME_LOCK) pyproject.toml -
	printf 'uv<1\n' | $(COMPILE) -o $(UV_LOCK) -

# The JavaScript tools the tests run (ical.js, axe-core), from the npm registry.
$(NODE_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

demo: $(STAMP)
	$(BIN)/tarjotin demo

# The browser tests drive Debian's Chromium (Playwright downloads no browser of its own).
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium >/dev/null; }

# The spreadsheet tests open and save files with LibreOffice as a coordinator would (headless Calc).
libreoffice:
	@command -v soffice >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; }

# The gates before the tests, configured in pyproject.toml: lint and format (ruff), types (mypy,
# strict, on the four packages) and the import layers (import-linter). All four run, in this
# order, and the target fails at the end if any did, so one run shows every gate's findings.
GATES := 'ruff check .' 'ruff format --check .' 'mypy' 'lint-imports'
lint: $(STAMP)
	@failed=; for gate in $(GATES); do echo "== $$gate"; $(BIN)/$$gate || failed="$$failed [$$gate]"; done; \
		if [ -n "$$failed" ]; then echo "Failed gates:$$failed"; exit 1; fi

# The offering's load benchmark drives the server with wrk (a C load generator: it leaves the cores to
# the server); its test runs it briefly.
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq wrk >/dev/null; }

test: lint $(NODE_STAMP) chromium libreoffice wrk
	$(BIN)/python -m pytest -q

bench: $(STAMP) wrk
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) $(UV_VENV) node_modules out *.egg-info
