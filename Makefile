# Dossier: `make run` starts the app with demo data, `make test` runs every test.

.PHONY: run test lint lock bench deps system-deps browser-deps translations translations-update

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTHON := $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng
# Where PostgreSQL 15 itself runs on this machine, its RUM extension too: full-text search
# ranks in the index with it (DESIGN.md, settled point 5); without it, GIN and ts_rank.
POSTGRES_PACKAGES := $(shell dpkg-query -W -f='$${Status}' postgresql-15 2>/dev/null \
	| grep -q "install ok installed" && echo postgresql-15-rum)
BROWSER_PACKAGES := chromium
PYTEST_ARGS ?=

# Install the missing Debian packages given as $(1); as root without a terminal, or via sudo.
define apt_install
	@missing=""; \
	for pkg in $(1); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
		elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
		else echo "Please install as root:$$missing" >&2; exit 1; fi; \
		$$sudo apt-get update && \
		$$sudo env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends $$missing; \
	fi
endef

run: deps system-deps
	bin/serve

test: deps system-deps browser-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check dossier tests bench
	$(BIN)/mypy

bench: deps system-deps
	@if [ -f bench/__main__.py ]; then $(BIN)/python -m bench; \
	else echo "No benchmarks yet (bench/__main__.py)."; fi

deps: $(STAMP) translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies changed since the last install. constraints.txt
# pins every package to the versions the suite last passed with (`make lock` renews it).
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lock: | $(BIN)/python
	$(BIN)/python -m pip install -q -U -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt

translations: $(STAMP)
	@if ls dossier/translations/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d dossier/translations; fi

# After adding or changing strings: extract them all and merge them into each catalogue,
# then translate the empty and `#, fuzzy` entries (tests/web/test_translations.py lists them).
translations-update: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k N_ \
		-k pgettext:1c,2 -k lazy_pgettext:1c,2 --project Dossier \
		-o dossier/translations/messages.pot .
	$(BIN)/pybabel -q update -i dossier/translations/messages.pot -d dossier/translations \
		--ignore-obsolete

system-deps:
	$(call apt_install,$(SYSTEM_PACKAGES) $(POSTGRES_PACKAGES))

browser-deps:
	$(call apt_install,$(BROWSER_PACKAGES))
