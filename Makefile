# invsim: `make run` (embedded app on http://127.0.0.1:8000) and `make test` (everything CI runs).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEB_STAMP := web/node_modules/.installed
WEB_BUILD := src/invsim/static/app/index.html
SUDO := $(shell [ "$$(id -u)" = 0 ] && echo "" || (command -v sudo >/dev/null && echo sudo))

.PHONY: run test lint typecheck pytest web web-test e2e bench clean install system-deps services compose-check lock

run: install web  ## Run the embedded app: SQLite, simulated market, in-process jobs.
	$(BIN)/invsim run

test: install web lint typecheck web-test pytest  ## Everything CI runs.

install: $(STAMP)

$(STAMP): pyproject.toml requirements.txt requirements-nodeps.txt
	@command -v $(PYTHON) >/dev/null || { echo "missing: python3 (3.11+). Install it: apt-get install python3 python3-venv"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "missing: Python 3.11 or newer"; exit 1; }
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV) || { echo "missing: python3-venv. Install it: apt-get install python3-venv"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

lock:  ## Re-pin requirements.txt from pyproject.toml (run after changing dependencies).
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' | grep -v -f <(sed 's/==.*//' requirements-nodeps.txt | grep -v '^#') > requirements.txt

system-deps:  ## Debian packages the tests need: chromium (browser tests), a compose client, nginx (config check).
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	 (docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null) || missing="$$missing docker-compose"; \
	 (command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]) || missing="$$missing nginx-light"; \
	 if [ -n "$$missing" ]; then \
	   if [ "$$(id -u)" = 0 ] || [ -n "$(SUDO)" ]; then \
	     echo "installing:$$missing"; \
	     $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
	       || echo "warning: could not install$$missing"; \
	   else echo "missing:$$missing (apt-get install$$missing); the tests that need them will be skipped"; fi; \
	 fi

web: $(WEB_BUILD)

$(WEB_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "missing: Node.js 20+ and npm (apt-get install nodejs npm)"; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $(WEB_STAMP)

$(WEB_BUILD): $(WEB_STAMP) $(shell find web/src web/index.html web/vite.config.ts web/scripts -type f 2>/dev/null)
	cd web && npm run build --silent

web-test: $(WEB_STAMP)
	cd web && npm run typecheck --silent && npm run lint --silent && npm test --silent

lint: install  ## Style, and the import rules of docs/ARCHITECTURE.md (.importlinter).
	$(BIN)/ruff check src tests bench tools examples
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy

pytest: install system-deps
	$(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadgroup

e2e: install web system-deps
	$(BIN)/pytest -q -p no:cacheprovider tests/e2e

services:  ## Start local PostgreSQL and Redis if they are installed but stopped.
	@bash .ci/start-services

compose-check:
	docker compose -f deploy/docker-compose.yml config --quiet

bench: install
	@for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) web/node_modules src/invsim/static/app src/invsim/static/swagger-ui
