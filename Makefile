# Entry points for people: `make play` and `make test`. Both install a local .venv from the lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.lock
STAMP  := $(VENV)/.installed
CODE   := engine tui cli web tests bench

.PHONY: play test check bench lock generate clean i18n-extract i18n-update i18n-compile

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "nexus-ttx needs Python 3.11 or newer (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

play: $(STAMP)
	$(BIN)/nexus-ttx

# Static checks: lint, format, types, import contracts (docs/architecture.md).
check: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: check
	$(BIN)/python -m pytest -n 2 -q

# After editing a schema or the toolkit catalog: regenerate the fast validators
# (engine/load/_generated/) and the catalog's id index (engine/toolkit/_index_data.py).
generate: $(STAMP)
	$(BIN)/python -m engine.load.validators
	$(BIN)/python -m engine.toolkit.index

# The interface's catalogs (docs/authoring.md, "Translating the interface"): extract every
# marked string into the template, merge it into each language's .po, compile the .mo files
# that ship in the wheel. No line numbers in the catalogs, so moving code changes nothing.
LOCALE := engine/locale
POT    := $(LOCALE)/nexus-ttx.pot

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output \
		--project nexus-ttx --msgid-bugs-address "" -o $(POT) .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i $(POT) -d $(LOCALE) -D nexus-ttx --ignore-obsolete \
		--previous --ignore-pot-creation-date

i18n-compile: $(STAMP)
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D nexus-ttx

bench: $(STAMP)
	$(BIN)/python -m bench

# Refresh the lock to the newest versions the ranges in pyproject.toml allow, reinstall from
# it and run the whole suite: commit requirements.lock only when this passes.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet --output-file $(LOCK)
	rm -f $(STAMP)
	$(MAKE) generate
	$(MAKE) test

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
