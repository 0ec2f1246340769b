"""The deployable parts stay consistent: function requirements, the SAM template, the handler's imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from petstore_dev.requirements import function_requirements, mcp_function_requirements

ROOT = Path(__file__).resolve().parent.parent


def test_function_requirements_match_pyproject() -> None:
    assert (ROOT / "lambda" / "requirements.txt").read_text(encoding="utf-8") == function_requirements(), (
        "lambda/requirements.txt is stale: run `make requirements`"
    )
    assert (ROOT / "mcp_function" / "requirements.txt").read_text(encoding="utf-8") == mcp_function_requirements(), (
        "mcp_function/requirements.txt is stale: run `make requirements`"
    )


def test_template_passes_cfn_lint() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(ROOT / "template.yaml")], capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_template_declares_what_the_function_reads() -> None:
    from petstore_dev.template import load_template

    function = load_template()["Resources"]["PetStoreFunction"]["Properties"]
    variables = set(function["Environment"]["Variables"])
    assert {"PETS_TABLE", "IDEMPOTENCY_TABLE", "SESSIONS_TABLE", "RATE_LIMIT_TABLE", "USER_POOL_ID",
            "USER_POOL_CLIENT_ID", "BEDROCK_MODEL_ID", "QUERY_RATE_LIMIT"} <= variables
    # The page's origin reaches the function as the API stage's variable, not from its environment.
    api = load_template()["Resources"]["PetStoreApi"]["Properties"]
    assert "allowedOrigin" in api["Variables"] and "ALLOWED_ORIGIN" not in variables
    assert load_template()["Globals"]["Function"]["Architectures"] == ["arm64"]
