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


def test_functions_run_python_3_13_with_snapstart_as_a_parameter() -> None:
    from petstore_dev.template import load_template

    template = load_template()
    function = template["Globals"]["Function"]
    assert function["Runtime"] == "python3.13"
    assert function["AutoPublishAlias"] == "live"
    assert function["SnapStart"] == {"ApplyOn": {"Fn::If": ["SnapStartOn", "PublishedVersions", "None"]}}
    assert template["Parameters"]["SnapStart"]["AllowedValues"] == ["true", "false"]
    assert template["Conditions"]["SnapStartOn"] == {"Fn::Equals": [{"Ref": "SnapStart"}, "true"]}


def _python_3_13() -> str | None:
    """A Python 3.13 interpreter (on PATH, or one pyenv holds), as `sam build` for the function needs."""
    import glob
    import shutil

    candidates = [shutil.which("python3.13"), *sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.13*/bin/python3.13")))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == "(3, 13)":
            return candidate
    return None


def test_the_function_code_compiles_under_python_3_13(tmp_path: Path) -> None:
    python = _python_3_13()
    if python is None:
        import pytest

        pytest.skip("no Python 3.13 here")
    result = subprocess.run([python, "-m", "compileall", "-q", "-f", str(ROOT / "lambda")], capture_output=True, text=True,
                            timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPYCACHEPREFIX": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tables_come_from_the_template() -> None:
    from petstore.store.keys import EXPIRY_INDEX, INDEXES
    from petstore_dev.template import resources_of_type

    table = resources_of_type("AWS::DynamoDB::Table")["PetsTable"]
    declared = {index["IndexName"]: [key["AttributeName"] for key in index["KeySchema"]] for index in table["GlobalSecondaryIndexes"]}
    assert declared == {**{index.name: [index.partition_attr, index.sort_attr] for index in INDEXES.values()},
                        EXPIRY_INDEX: ["reservation_shard", "reserved_until"]}
