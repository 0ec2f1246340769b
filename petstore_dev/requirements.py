"""Prints the Lambda functions' requirements.txt files from pyproject (`make requirements`).

    python -m petstore_dev.requirements              # lambda/requirements.txt: the core's run-time dependencies
    python -m petstore_dev.requirements mcp-function # mcp_function/requirements.txt: what the MCP function adds
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "# Generated from pyproject.toml by `make requirements`; do not edit.\n"


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def function_requirements() -> str:
    return HEADER + "".join(f"{dependency}\n" for dependency in _project()["dependencies"])


def mcp_function_requirements() -> str:
    """The MCP function's own package (the core and its dependencies come from the core layer)."""
    extra = _project()["optional-dependencies"]["mcp-function"]
    return HEADER + "".join(f"{dependency}\n" for dependency in extra)


if __name__ == "__main__":
    print(mcp_function_requirements() if sys.argv[1:] == ["mcp-function"] else function_requirements(), end="")
