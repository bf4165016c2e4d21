# Two commands on a fresh machine: `make build` sets everything up and builds the demo into site/;
# `make test` runs the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build check serve test docs dist clean catalogues

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/disseminate build

check: $(STAMP)
	$(BIN)/disseminate check

serve: $(STAMP)
	$(BIN)/disseminate serve

test: $(STAMP)
	$(BIN)/pytest

dist: $(STAMP)
	$(BIN)/python -m build --outdir dist .

# The generator's own words: extract them from the sources into the template (.pot), then bring each
# language's catalogue (.po) up to date with it; new and changed messages wait there for a translator.
# `make catalogues LANGUAGE=pl` starts a catalogue for another language first.
LOCALE := builder/locale
catalogues: $(STAMP)
	$(BIN)/pybabel extract --mapping-file babel.cfg --output-file $(LOCALE)/disseminate.pot \
		--project Disseminate --version 0.1.0 --msgid-bugs-address "" --copyright-holder "" \
		--add-comments TRANSLATORS: --sort-by-file --width 100 .
	$(if $(LANGUAGE),test -f $(LOCALE)/$(LANGUAGE)/LC_MESSAGES/disseminate.po || \
		$(BIN)/pybabel init --domain disseminate --input-file $(LOCALE)/disseminate.pot --output-dir $(LOCALE) \
		--locale $(LANGUAGE) --width 100)
	$(BIN)/pybabel update --domain disseminate --input-file $(LOCALE)/disseminate.pot --output-dir $(LOCALE) \
		--ignore-pot-creation-date --width 100

docs: $(STAMP)
	$(BIN)/python -m builder.reference README.md

clean:
	rm -rf site .site.* dist $(VENV)
