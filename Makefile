# OmniCRM — `make run` and `make test` work on a fresh Debian machine with Python 3.11 and Node 20.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
SYS_STAMP := var/.system-deps
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_ADMIN_EMAIL ?= admin@omnicrm.demo
DEMO_ADMIN_PASSWORD ?= Admin123!
PYTEST_ARGS ?=
UI := OmniCRM-UI
UI_DEPS := $(UI)/node_modules/.installed
UI_BUILD := $(UI)/dist/index.html
UI_SOURCES := $(shell find $(UI)/src $(UI)/public -type f 2>/dev/null) $(wildcard $(UI)/.env) \
	$(UI)/index.html $(UI)/vite.config.ts $(UI)/tsconfig.json $(UI)/tsconfig.app.json $(UI)/tsconfig.node.json

export OMNICRM_ENVIRONMENT ?= demo

.PHONY: run test install system-deps lint typecheck test-sqlite test-mariadb test-ui ui ui-api bench openapi clean

## run: install, build the UI, migrate the embedded SQLite database, seed demo data and serve API + UI on :5000
run: install ui
	$(BIN)/omnicrm migrate
	$(BIN)/omnicrm create-admin --email "$(DEMO_ADMIN_EMAIL)" --password "$(DEMO_ADMIN_PASSWORD)"
	$(BIN)/omnicrm seed-demo
	@echo "=================================================================="
	@echo " OmniCRM demo:  http://$(HOST):$(PORT)/      API docs: /crm/docs/"
	@echo " Admin login:   $(DEMO_ADMIN_EMAIL) / $(DEMO_ADMIN_PASSWORD)"
	@echo "=================================================================="
	$(BIN)/omnicrm serve --host $(HOST) --port $(PORT)

## test: install everything, lint, type-check, run the whole suite on SQLite and on a real MariaDB, then the UI
test: install system-deps lint typecheck test-sqlite test-mariadb test-ui

test-sqlite: install
	OMNICRM_ENVIRONMENT=test $(BIN)/python -m pytest --db=sqlite $(PYTEST_ARGS)

test-mariadb: install system-deps
	OMNICRM_ENVIRONMENT=test $(BIN)/python -m pytest --db=mariadb $(PYTEST_ARGS)

## test-ui: generated API types current, UI unit tests (Vitest), then browser tests (Playwright + Chromium)
test-ui: install system-deps ui
	cd $(UI) && npm run --silent api:check
	cd $(UI) && npm test
	UI_E2E=1 $(BIN)/python -m pytest tests/e2e

## ui: build the single-page app into OmniCRM-UI/dist (npm ci first when package-lock.json changed)
ui: $(UI_BUILD)

$(UI_BUILD): $(UI_DEPS) $(UI_SOURCES)
	cd $(UI) && npm run --silent build

$(UI_DEPS): $(UI)/package-lock.json
	cd $(UI) && npm ci --no-audit --no-fund
	touch $@

## ui-api: regenerate OmniCRM-UI/openapi.json and the typed client from `omnicrm openapi`
ui-api: install $(UI_DEPS)
	cd $(UI) && npm run --silent api:generate

lint: install
	$(BIN)/ruff check OmniCRM-API tests benchmarks migrations

typecheck: install
	$(BIN)/mypy

## bench: performance benchmarks (reported as ratios against a baseline measured in the same run)
bench: install system-deps
	OMNICRM_ENVIRONMENT=test $(BIN)/python -m benchmarks

openapi: install
	@$(BIN)/omnicrm openapi

install: $(PY_STAMP)

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

system-deps: $(SYS_STAMP)

$(SYS_STAMP): scripts/install-system-deps.sh
	./scripts/install-system-deps.sh
	@mkdir -p var && touch $@

clean:
	rm -rf $(VENV) var/.system-deps $(UI)/node_modules $(UI)/dist
