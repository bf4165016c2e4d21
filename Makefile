# Two commands on a fresh machine: `make build` sets everything up and builds the demo into site/;
# `make test` runs the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build check serve test docs dist clean

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

docs: $(STAMP)
	$(BIN)/python -m builder.reference README.md

clean:
	rm -rf site .site.* dist $(VENV)
