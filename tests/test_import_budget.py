"""A cold GET /pets pays only for what it uses: no MCP, no idempotency utility, no Bedrock or question code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (petstore.idempotency, the thin wrapper the container builds, may load: it imports the utility only when used.)
FORBIDDEN_ON_A_READ = ("mcp", "mcp_server", "aws_lambda_powertools.utilities.idempotency",
                       "petstore.nlq", "petstore.nlq.bedrock", "petstore.query_service")

SCRIPT = r"""
import json, os, sys
sys.path[:0] = [{lambda_dir!r}, {root!r}]
os.environ.update(AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_DEFAULT_REGION="us-east-1",
                  BEDROCK_MODEL_ID="us.amazon.nova-micro-v1:0", USER_POOL_ID="p", USER_POOL_CLIENT_ID="c",
                  POWERTOOLS_METRICS_NAMESPACE="Test", ALLOWED_ORIGIN="https://shop.example")
from moto import mock_aws
import boto3
with mock_aws():
    from petstore_dev.events import rest_event
    from petstore_dev.template import create_tables
    os.environ.update(create_tables(boto3.client("dynamodb"), prefix="imports"))
    before = set(sys.modules)
    import app
    class Context:
        function_name = "f"; memory_limit_in_mb = 1024; aws_request_id = "r"
        invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:f"
        def get_remaining_time_in_millis(self): return 10000
    admin = {{"sub": "a", "cognito:groups": "admins", "token_use": "id", "aud": "c"}}
    steps = {{}}
    for name, event in (
        ("list", rest_event("GET", "/pets", query="type=dog&sort=price_asc", claims=admin)),
        ("get", rest_event("GET", "/pets/7d9c8f1e-3b2a-4c5d-9e8f-0a1b2c3d4e5f", claims=admin)),
        ("create", rest_event("POST", "/pets", body=json.dumps({{"name": "Rex", "type": "dog", "age": 1, "price": 1}}),
                              headers={{"Content-Type": "application/json", "Idempotency-Key": "k"}}, claims=admin)),
        ("query", rest_event("POST", "/pets/query", body=json.dumps({{"query": "dogs"}}), claims=admin)),
    ):
        status = app.lambda_handler(event, Context())["statusCode"]
        steps[name] = {{"status": status, "modules": sorted(set(sys.modules) - before)}}
    print(json.dumps(steps))
"""


def _run() -> dict[str, dict[str, object]]:
    code = SCRIPT.format(lambda_dir=str(ROOT / "lambda"), root=str(ROOT))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_cold_get_imports_nothing_it_does_not_use() -> None:
    steps = _run()
    assert steps["list"]["status"] == 200 and steps["get"]["status"] == 404
    for step in ("list", "get"):
        modules = set(steps[step]["modules"])  # type: ignore[arg-type]
        imported = sorted(name for name in modules if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_ON_A_READ))
        assert not imported, f"a {step} imported {imported}"
    # The check can fail: the routes that need these modules do import them.
    after_create = set(steps["create"]["modules"])  # type: ignore[arg-type]
    after_query = set(steps["query"]["modules"])  # type: ignore[arg-type]
    assert steps["create"]["status"] == 201 and "aws_lambda_powertools.utilities.idempotency" in after_create
    assert steps["query"]["status"] == 200 and "petstore.nlq.bedrock" in after_query
