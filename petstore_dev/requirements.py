"""Prints the Lambda function's requirements.txt from pyproject's run-time dependencies (`make requirements`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "# Generated from pyproject.toml by `make requirements`; do not edit.\n"


def function_requirements() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return HEADER + "".join(f"{dependency}\n" for dependency in project["dependencies"])


if __name__ == "__main__":
    print(function_requirements(), end="")
