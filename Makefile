# CôngVụ — two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test test-sqlite test-postgres lint install chromium fonts office bench clean messages lock

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests; Playwright never downloads its own.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian chromium for browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# LibreOffice (headless) and pdftoppm: the official Word documents are rendered to PDF and PNG
# in a test (ND 30/2020 layout); Liberation fonts stand in for Times New Roman, metric for metric.
office:
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  echo "Installing Debian libreoffice-writer-nogui and poppler-utils for the document tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui poppler-utils fonts-liberation >/dev/null; \
	fi

# DejaVu Sans: Vietnamese glyphs for the QR posters (PDF/PNG); CONGVU_POSTER_FONT overrides.
FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
fonts:
	@if [ ! -f $(FONT) ] && [ -z "$$CONGVU_POSTER_FONT" ]; then \
	  echo "Installing Debian fonts-dejavu-core for the QR posters"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	fi

demo: install fonts
	$(BIN)/congvu migrate --noinput
	$(BIN)/congvu collectstatic --noinput -v 0
	$(BIN)/congvu load_catalogues
	$(BIN)/congvu demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL= $(BIN)/congvu makemigrations --check --dry-run
	$(BIN)/bandit -c pyproject.toml -r congvu --severity-level high --quiet
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

test: install chromium fonts office lint test-sqlite test-postgres

test-sqlite: install
	DATABASE_URL= $(BIN)/pytest -q -n 2 -m "not e2e and not serial"
	DATABASE_URL= $(BIN)/pytest -q -m "serial or e2e"

# The same suite on PostgreSQL when a server answers (CI machines have one).
test-postgres: install
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== PostgreSQL: $(PG_URL)"; \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n 2 -m "not e2e and not serial" && \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "serial or e2e"; \
	else echo "== PostgreSQL not reachable at $(PG_URL): skipped"; fi

# Production pins with hashes (S8; docs/supply-chain.md): the runtime dependencies for
# Python 3.11 on Linux x86_64, hashes from PyPI. Run after changing the dependencies in
# pyproject.toml and commit requirements.lock; `make lock LOCK_FLAGS=--upgrade` moves every
# pin to the newest allowed release.
lock: install
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" \
	  --quiet $(LOCK_FLAGS) -o requirements.lock

bench: install
	$(BIN)/python -m bench.run_all

messages: install
	cd congvu && ../$(BIN)/congvu makemessages -l en --ignore=static --ignore=tests --no-obsolete && ../$(BIN)/congvu compilemessages

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
