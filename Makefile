SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TOOLS := $(VENV)/tools
TOOLS_STAMP := $(TOOLS)/.installed

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

# The template's checkers (checkov, the SAM translator) in an environment of their own: they pin boto3 and
# pydantic (see the `tools` extra in pyproject.toml).
$(TOOLS_STAMP): pyproject.toml $(STAMP)
	@if [ -x $(BIN)/uv ]; then $(BIN)/uv venv --quiet --allow-existing $(TOOLS) && \
	   $(BIN)/uv pip install --quiet --python $(TOOLS)/bin/python -r pyproject.toml --extra tools; \
	 else test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS); \
	   $(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check 'checkov>=3.2,<4' 'aws-sam-translator>=1.90'; fi
	@touch $(TOOLS_STAMP)

install: $(STAMP) $(TOOLS_STAMP)

# `make dev ARGS="--port 3001 --no-seed"` passes options to petstore-dev.
dev: $(STAMP)
	$(BIN)/petstore-dev $(ARGS)

test: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/cfn-lint template.yaml
	$(TOOLS)/bin/checkov --config-file .checkov.yaml -f template.yaml --quiet

requirements: $(STAMP)
	$(BIN)/python -m petstore_dev.requirements > lambda/requirements.txt
	$(BIN)/python -m petstore_dev.requirements mcp-function > mcp_function/requirements.txt

build:
	sam build

deploy:
	./scripts/deploy.sh

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache
