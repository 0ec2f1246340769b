SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dev test install bench lint requirements build deploy clean

# Create the virtual environment and install the project (with its dev tools) into it.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv || true
	@if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'; \
	 else $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'; fi
	@# Bytecode now, once: with PYTHONDONTWRITEBYTECODE set, every start would compile moto, botocore... again.
	@$(BIN)/python -m compileall -q -j0 $(VENV)/lib > /dev/null || true
	@touch $(STAMP)

install: $(STAMP)

dev: $(STAMP)
	$(BIN)/petstore-dev

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/cfn-lint template.yaml

requirements: $(STAMP)
	$(BIN)/python -m petstore_dev.requirements > lambda/requirements.txt
	$(BIN)/python -m petstore_dev.requirements mcp-function > mcp_function/requirements.txt

build:
	sam build

deploy:
	./scripts/deploy.sh

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache
