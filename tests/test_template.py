"""template.yaml's security and operations: least-privilege IAM (checked against the calls the code really
makes), TLS, the page's headers, Cognito, logs, WAF, the dashboard and alarms; checkov with its skips in one
place; and the SAM transform, which sam validate would run (no cycle once the API's stage holds the page's
origin)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from petstore_dev.template import TABLE_ENV, load_template
from tests.conftest import USER_CLAIMS, Api, new_pet

ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(sys.executable).parent.parent / "tools" / "bin"
RESOURCES = load_template()["Resources"]


def props(logical_id: str) -> dict[str, Any]:
    return RESOURCES[logical_id]["Properties"]


def names_in(value: Any) -> set[str]:
    """Logical ids a value refers to (!Ref, !GetAtt, ${...} in !Sub)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref":
                found.add(str(item).split(".")[0])
            elif key == "Fn::GetAtt":
                found.add((item[0] if isinstance(item, list) else str(item)).split(".")[0])
            elif key == "Fn::Sub":
                text = item if isinstance(item, str) else item[0]
                found |= {name.split(".")[0] for name in re.findall(r"\$\{([^!}]+)\}", text)}
                if not isinstance(item, str):
                    found |= names_in(item[1])
            else:
                found |= names_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= names_in(item)
    return found


def table_permissions() -> dict[str, set[str]]:
    """DynamoDB actions the function's role allows, per table logical id."""
    allowed: dict[str, set[str]] = {}
    for policy in props("PetStoreFunction")["Policies"]:
        if not isinstance(policy, dict) or "Statement" not in policy:
            assert not any(str(key).startswith("DynamoDB") for key in policy), f"a SAM policy template grants too much: {policy}"
            continue
        for statement in policy["Statement"]:
            actions = {action for action in statement["Action"] if action.startswith("dynamodb:")}
            for table in names_in(statement["Resource"]) & set(TABLE_ENV):
                allowed.setdefault(table, set()).update(actions)
    return allowed


# ---------------------------------------------------------------------- IAM
def test_each_table_allows_only_what_its_store_needs() -> None:
    allowed = table_permissions()
    assert set(allowed) == {logical for logical in TABLE_ENV if logical in RESOURCES}
    for table in ("IdempotencyTable", "SessionsTable", "RateLimitTable"):
        assert not {action for action in allowed[table] if action in ("dynamodb:Scan", "dynamodb:Query") or
                    action.startswith("dynamodb:Batch")}, table
    assert all("*" not in action for actions in allowed.values() for action in actions)


def test_every_dynamodb_call_the_code_makes_is_allowed(api: Api, aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Drive every route (idempotent create, conditional update, filtered and unfiltered listings, a conversation,
    the rate limit) and record each DynamoDB call; the template must allow each one on its table."""
    from petstore.store.aws import client

    monkeypatch.setenv("QUERY_RATE_LIMIT", "100")
    calls: set[tuple[str, str]] = set()

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name == "TransactWriteItems":  # authorised as the writes it holds, each on its table
            for item in params.get("TransactItems", []):
                for kind, request in item.items():
                    calls.add((f"{kind}Item" if kind != "ConditionCheck" else "ConditionCheckItem", request["TableName"]))
        elif model.name.startswith("Batch"):
            calls.update((model.name, table) for table in params.get("RequestItems", {}))
        else:
            calls.add((model.name, params.get("TableName", "")))

    client("dynamodb").meta.events.register("before-parameter-build.dynamodb.*", record)
    key = {"Idempotency-Key": "iam-check"}
    assert api.call("POST", "/pets", body=new_pet(), headers=key)[0] == 201
    _, pet, _ = api.call("POST", "/pets", body=new_pet(name="Max", type="cat", breed="Siamese"), headers=key | {"Idempotency-Key": "2"})
    assert api.call("POST", "/pets", body=new_pet(), headers=key)[0] == 201
    assert api.call("PATCH", f"/pets/{pet['id']}", body={"price": 5}, headers={"If-Match": '"1"'})[0] == 200
    for query in ("", "type=dog&sort=price_asc", "breed=Beagle", "min_price=1&max_age=9", "status=available&page_size=1"):
        assert api.call("GET", "/pets", query=query, claims=USER_CLAIMS)[0] == 200
    assert api.call("POST", "/pets/query", body={"query": "cats under 600", "session_id": "s1"}, claims=USER_CLAIMS)[0] == 200
    assert api.call("POST", "/pets/query", body={"query": "what about dogs", "session_id": "s1"}, claims=USER_CLAIMS)[0] == 200
    # Reservations: reserve, list, cancel, adopt, and a lapse released by a read.
    assert api.call("POST", f"/pets/{pet['id']}/reservation", claims=USER_CLAIMS)[0] == 201
    assert api.call("GET", "/me/reservations", claims=USER_CLAIMS)[0] == 200
    assert api.call("DELETE", f"/pets/{pet['id']}/reservation", claims=USER_CLAIMS)[0] == 204
    assert api.call("POST", f"/pets/{pet['id']}/reservation", claims=USER_CLAIMS)[0] == 201
    later = datetime.now(timezone.utc) + timedelta(days=3)
    api.module.container.clock = lambda: later
    assert api.call("GET", "/inventory")[1]["by_status"]["pending"] == 0
    assert api.call("POST", f"/pets/{pet['id']}/adoption")[0] == 200
    assert api.call("DELETE", f"/pets/{pet['id']}")[0] == 204

    by_table = {name: logical for logical, env in TABLE_ENV.items() for key_, name in aws_env.items() if key_ == env}
    allowed = table_permissions()
    used: dict[str, set[str]] = {}
    for operation, table in calls:
        assert table in by_table, f"{operation} on a table the template doesn't declare: {table}"
        used.setdefault(by_table[table], set()).add(f"dynamodb:{operation}")
    for logical, actions in used.items():
        assert actions <= allowed[logical], f"{logical}: the code calls {sorted(actions - allowed[logical])}, not allowed"
    assert set(used) == set(allowed), "a table the code never touched still has permissions"


def test_the_sweeper_may_make_the_calls_it_makes_and_no_more(api: Api, aws_env: dict[str, str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The reservation sweeper's role: its statements name the table and the expiry index, per action."""
    from petstore.store.aws import client
    from tests.conftest import LambdaContext

    sweeper_props = props("ReservationSweeperFunction")
    allowed: set[tuple[str, str]] = set()  # (action, "table" or "index/<name>")
    for policy in sweeper_props["Policies"]:
        for statement in policy["Statement"]:
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            for resource in resources:
                text = json.dumps(resource)
                where = "table" if resource == {"Fn::GetAtt": "PetsTable.Arn"} else \
                    "index/" + re.search(r"/index/([A-Za-z]+)", text).group(1)  # type: ignore[union-attr]
                allowed |= {(action, where) for action in statement["Action"]}
    assert sweeper_props["Environment"]["Variables"]["PETS_TABLE"] == {"Ref": "PetsTable"}
    assert sweeper_props["Events"]["Sweep"]["Properties"]["ScheduleExpression"].startswith("rate(")

    pets = [api.call("POST", "/pets", body=new_pet(name=f"Swept {n}"))[1] for n in range(2)]
    for pet in pets:
        assert api.call("POST", f"/pets/{pet['id']}/reservation", claims=USER_CLAIMS)[0] == 201
    calls: set[tuple[str, str]] = set()

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name == "TransactWriteItems":
            for item in params.get("TransactItems", []):
                calls.update((f"dynamodb:{kind}Item", "table") for kind in item)
        else:
            calls.add((f"dynamodb:{model.name}", f"index/{params['IndexName']}" if params.get("IndexName") else "table"))

    import sweeper

    sweeper.container = api.module.container
    later = datetime.now(timezone.utc) + timedelta(days=3)
    sweeper.container.clock = lambda: later
    client("dynamodb").meta.events.register("before-parameter-build.dynamodb.*", record)
    assert sweeper.lambda_handler({}, LambdaContext()) == {"released": 2}
    assert calls and calls <= allowed, f"not allowed: {sorted(calls - allowed)}"
    assert {action for action, _ in allowed} - {action for action, _ in calls} <= {"dynamodb:GetItem"}, \
        "the role allows calls the sweeper never makes"  # GetItem: a pet changed while being released is read again


# ---------------------------------------------------------------------- data and identity
def test_the_pets_table_and_the_user_pool_survive_a_deleted_stack() -> None:
    for logical in ("PetsTable", "UserPool"):
        assert RESOURCES[logical]["DeletionPolicy"] == RESOURCES[logical]["UpdateReplacePolicy"] == "Retain"
    assert props("PetsTable")["DeletionProtectionEnabled"] is True
    assert props("UserPool")["DeletionProtection"] == "ACTIVE"


def test_the_user_pool_offers_totp_and_verifies_new_emails() -> None:
    pool = props("UserPool")
    parameter = load_template()["Parameters"]["MfaConfiguration"]
    assert pool["MfaConfiguration"] == {"Ref": "MfaConfiguration"}
    assert parameter["Default"] == "OPTIONAL" and set(parameter["AllowedValues"]) == {"OFF", "OPTIONAL", "ON"}
    assert pool["EnabledMfas"]["Fn::If"][1] == ["SOFTWARE_TOKEN_MFA"]
    assert pool["UserAttributeUpdateSettings"]["AttributesRequireVerificationBeforeUpdate"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True


# ---------------------------------------------------------------------- the page's bucket and distribution
def test_the_bucket_takes_tls_1_2_only_and_keeps_versions() -> None:
    statements = {statement["Sid"]: statement for statement in props("WebBucketPolicy")["PolicyDocument"]["Statement"]}
    plain = statements["TlsOnly"]
    assert plain["Effect"] == "Deny" and plain["Principal"] == "*" and plain["Action"] == "s3:*"
    assert plain["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statements["TlsOneTwoOrNewer"]["Condition"] == {"NumericLessThan": {"s3:TlsVersion": "1.2"}}
    assert len(plain["Resource"]) == 2  # the bucket and its objects
    assert props("WebBucket")["VersioningConfiguration"] == {"Status": "Enabled"}


def test_a_custom_domain_gets_tls_1_2_at_least() -> None:
    config = props("WebDistribution")["DistributionConfig"]
    with_domain, without = config["ViewerCertificate"]["Fn::If"][1:]
    assert with_domain["MinimumProtocolVersion"].startswith("TLSv1.2") and with_domain["SslSupportMethod"] == "sni-only"
    assert with_domain["AcmCertificateArn"] == {"Ref": "WebCertificateArn"}
    assert without == {"CloudFrontDefaultCertificate": True}


def _sub_text(value: dict[str, Any]) -> str:
    """The text of a !Sub (either form), with the photos bucket's name written as `<photos>`."""
    text = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
    return text.replace(PHOTOS_BUCKET_NAME, "<photos>")


PHOTOS_BUCKET_NAME = "petstore-photos-${StackUuid}"


def content_security_policy() -> dict[str, list[str]]:
    policy = props("WebResponseHeadersPolicy")["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert policy["ContentSecurityPolicy"]["Override"] is True
    separator, parts = policy["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Join"]
    text = separator.join(part if isinstance(part, str) else _sub_text(part) for part in parts)
    return {directive.split()[0]: directive.split()[1:] for directive in text.split("; ")}


def test_the_pages_csp_talks_only_to_this_api_and_cognito() -> None:
    csp = content_security_policy()
    assert props("WebDistribution")["DistributionConfig"]["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {
        "Ref": "WebResponseHeadersPolicy"}
    assert csp["connect-src"] == ["'self'", "https://${PetStoreApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}",
                                  "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}",
                                  "https://<photos>.s3.${AWS::Region}.${AWS::URLSuffix}"]  # upload forms
    assert csp["img-src"] == ["'self'", "data:"]  # photos come from this distribution
    assert csp["default-src"] == ["'none'"] and csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert not [source for sources in csp.values() for source in sources if "unsafe" in source or source == "*"]
    headers = props("WebResponseHeadersPolicy")["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["FrameOptions"]["FrameOption"] == "DENY"


# ---------------------------------------------------------------------- photos
def test_the_photos_bucket_is_private_tls_only_and_cloudfront_reads_checked_photos_only() -> None:
    bucket = props("PhotosBucket")
    assert _sub_text(bucket["BucketName"]) == "<photos>"
    assert bucket["BucketName"]["Fn::Sub"][1] == {"StackUuid": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}}
    assert all(bucket["PublicAccessBlockConfiguration"].values()) and len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    statements = {statement["Sid"]: statement for statement in props("PhotosBucketPolicy")["PolicyDocument"]["Statement"]}
    assert statements["TlsOnly"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statements["TlsOnly"]["Effect"] == "Deny" and statements["TlsOnly"]["Action"] == "s3:*"
    assert statements["TlsOneTwoOrNewer"]["Condition"] == {"NumericLessThan": {"s3:TlsVersion": "1.2"}}
    reader = statements["CloudFrontReadsCheckedPhotosOnly"]
    assert reader["Principal"] == {"Service": "cloudfront.amazonaws.com"} and reader["Action"] == "s3:GetObject"
    assert reader["Resource"] == {"Fn::Sub": "${PhotosBucket.Arn}/photos/*"}  # never incoming/: unchecked uploads
    assert "${WebDistribution}" in reader["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    allows = [statement for statement in statements.values() if statement["Effect"] == "Allow"]
    assert allows == [reader]
    rules = {rule["Id"]: rule for rule in bucket["LifecycleConfiguration"]["Rules"]}
    assert rules["ForgetUnprocessedUploads"]["Prefix"] == "incoming/" and rules["ForgetUnprocessedUploads"]["ExpirationInDays"] == 1


def test_the_page_may_post_upload_forms_to_the_bucket_and_nothing_else() -> None:
    [rule] = props("PhotosBucket")["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"]
    assert rule["AllowedOrigins"] == [props("PetStoreApi")["Variables"]["allowedOrigin"]]  # the page's origin, never *
    upload_url = props("PetStoreFunction")["Environment"]["Variables"]["PHOTOS_UPLOAD_URL"]
    assert _sub_text(upload_url) == "https://<photos>.s3.${AWS::Region}.${AWS::URLSuffix}"
    assert f"connect-src" in content_security_policy() and _sub_text(upload_url) in content_security_policy()["connect-src"]


def test_the_distribution_serves_photos_under_photos_from_the_private_bucket() -> None:
    config = props("WebDistribution")["DistributionConfig"]
    origins = {origin["Id"]: origin for origin in config["Origins"]}
    photos = origins["photos"]
    assert _sub_text(photos["DomainName"]) == "<photos>.s3.${AWS::Region}.${AWS::URLSuffix}"
    assert photos["OriginAccessControlId"] == {"Fn::GetAtt": "WebOriginAccessControl.Id"}
    [behaviour] = config["CacheBehaviors"]
    assert behaviour["PathPattern"] == "photos/*" and behaviour["TargetOriginId"] == "photos"
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https" and behaviour["AllowedMethods"] == ["GET", "HEAD"]
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "WebResponseHeadersPolicy"}  # nosniff on photos too
    variables = props("PetStoreApi")["Variables"]
    assert variables["photosUrl"] == variables["allowedOrigin"]  # photo URLs name the page's distribution


def _s3_statements(function: str, bucket: str) -> list[tuple[set[str], list[str], dict[str, Any]]]:
    """(actions, resource ARNs, condition) of a function's S3 statements, the bucket named `bucket`."""
    found = []
    for policy in props(function)["Policies"]:
        if not isinstance(policy, dict) or "Statement" not in policy:
            continue
        for statement in policy["Statement"]:
            actions = {action for action in statement["Action"] if action.startswith("s3:")}
            if not actions:
                continue
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            arns = [_sub_text(resource).replace("${AWS::Partition}", "aws").replace("<photos>", bucket)
                    for resource in resources]
            found.append((actions, arns, statement.get("Condition", {})))
    return found


def _allowed(statements: list[tuple[set[str], list[str], dict[str, Any]]], action: str, arn: str,
             prefix: str | None = None) -> bool:
    from fnmatch import fnmatchcase

    for actions, arns, condition in statements:
        if action in actions and any(fnmatchcase(arn, pattern) for pattern in arns):
            prefixes = condition.get("StringLike", {}).get("s3:prefix")
            if prefixes is None or (prefix is not None and any(fnmatchcase(prefix, p) for p in prefixes)):
                return True
    return False


class S3Calls:
    """S3 calls the code makes, as the IAM actions and resources they are authorised as, per function (`by`)."""

    def __init__(self) -> None:
        self.by: dict[str, set[tuple[str, str, str | None]]] = {}
        self.function = ""

    def __call__(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        calls = self.by.setdefault(self.function, set())
        bucket = params.get("Bucket", "")
        arn = f"arn:aws:s3:::{bucket}/{params.get('Key', '')}"
        name = model.name
        if name in ("HeadObject", "GetObject"):
            calls.add(("s3:GetObject", arn, None))
        elif name == "PutObject":
            calls.add(("s3:PutObject", arn, None))
        elif name == "CopyObject":
            source = params["CopySource"]
            calls.add(("s3:GetObject", f"arn:aws:s3:::{source['Bucket']}/{source['Key']}", None))
            calls.add(("s3:PutObject", arn, None))
        elif name == "DeleteObjects":
            for item in params["Delete"]["Objects"]:
                calls.add(("s3:DeleteObject", f"arn:aws:s3:::{bucket}/{item['Key']}", None))
        elif name == "ListObjectsV2":
            calls.add(("s3:ListBucket", f"arn:aws:s3:::{bucket}", params.get("Prefix")))
        elif name != "CreateBucket":  # botocore builds a presigned POST's parameters as CreateBucket's; no call is made
            raise AssertionError(f"an S3 call this test does not know how to authorise: {name}")

    def unauthorised(self, function: str, bucket: str) -> list[tuple[str, str, str | None]]:
        statements = _s3_statements(function, bucket)
        return sorted(call for call in self.by.get(function, set()) if not _allowed(statements, *call))


def test_every_s3_call_of_the_api_and_the_processor_is_allowed(api: Api, aws_env: dict[str, str]) -> None:
    """Issue forms, process good and bad uploads, remove a photo, delete a pet with files: each S3 and DynamoDB call
    must be allowed by the policy of the function that makes it, and nothing the code never does is allowed."""
    import boto3

    import photo_events
    from petstore.api.container import Container
    from petstore.store.aws import client
    from tests.images import HTML, jpeg
    from tests.test_photos import Photos

    bucket = aws_env["PHOTOS_BUCKET"]
    photo_events.container = Container()
    recorder = S3Calls()
    client("s3").meta.events.register("before-parameter-build.s3.*", recorder)
    dynamodb: dict[str, set[str]] = {}
    client("dynamodb").meta.events.register(
        "before-parameter-build.dynamodb.*",
        lambda model, params, **_: dynamodb.setdefault(recorder.function, set()).add(f"dynamodb:{model.name}"))

    class Recorded(Photos):
        def issue(self, pet_id: str, content_type: str = "image/jpeg", **extra: Any) -> dict[str, Any]:
            recorder.function = "PetStoreFunction"
            form = super().issue(pet_id, content_type, **extra)
            # The form is signed by the function's role: the role must be allowed to put that object.
            recorder.by["PetStoreFunction"].add(("s3:PutObject", f"arn:aws:s3:::{bucket}/{form['upload']['fields']['key']}", None))
            return form

        def process(self, key: str, size: int = 0) -> list[dict[str, Any]]:
            recorder.function = "PhotoProcessorFunction"
            try:
                return super().process(key, size)
            finally:
                recorder.function = "PetStoreFunction"

    photos = Recorded(api, bucket)
    recorder.function = "PetStoreFunction"
    pet = api.call("POST", "/pets", body=new_pet())[1]
    good, bad, again, late = (photos.issue(pet["id"]) for _ in range(4))
    assert photos.process(photos.upload(good, jpeg()))[0]["outcome"] == "added"
    assert photos.process(photos.upload(bad, HTML))[0]["outcome"] == "refused"
    key = photos.upload(again, jpeg())
    assert photos.process(key)[0]["outcome"] == "added"
    photos.upload(again, jpeg())
    assert photos.process(key)[0]["outcome"] == "already added"
    key = photos.upload(late, jpeg())
    boto3.client("dynamodb", region_name="us-east-1").delete_item(TableName=aws_env["PETS_TABLE"], Key={"id": {"S": pet["id"]}})
    assert photos.process(key)[0]["outcome"] == "refused"  # the pet went meanwhile

    pet = api.call("POST", "/pets", body=new_pet())[1]
    photo = photos.add(pet["id"])
    assert api.call("DELETE", f"/pets/{pet['id']}/photos/{photo['id']}")[0] == 204
    photos.add(pet["id"])
    photos.upload(photos.issue(pet["id"]), jpeg())
    assert api.call("DELETE", f"/pets/{pet['id']}")[0] == 204

    for function in ("PetStoreFunction", "PhotoProcessorFunction"):
        assert recorder.unauthorised(function, bucket) == [], function
        allowed = set().union(*(actions for actions, _, _ in _s3_statements(function, bucket)))
        assert {call[0] for call in recorder.by[function]} == allowed, f"{function}: an allowed action is never used"
    processor_allowed = {action for policy in props("PhotoProcessorFunction")["Policies"] for statement in policy["Statement"]
                         for action in statement["Action"] if action.startswith("dynamodb:")}
    assert dynamodb["PhotoProcessorFunction"] == processor_allowed
    # The REST function's photo writes are pet writes (GetItem, PutItem): the DynamoDB test above covers them.
    mcp = set().union(*(actions for actions, _, _ in _s3_statements("PetStoreMcpFunction", bucket)))
    assert mcp == {"s3:DeleteObject", "s3:ListBucket"}  # it deletes pets (and their files), never uploads
    for function in ("PetStoreFunction", "PetStoreMcpFunction", "PhotoProcessorFunction"):
        for actions, arns, _ in _s3_statements(function, bucket):
            assert not any("*" in action for action in actions)
            assert all(arn.endswith(("/incoming/*", "/photos/*")) or arn == f"arn:aws:s3:::{bucket}" for arn in arns)


# ---------------------------------------------------------------------- the API
def test_cors_names_the_page_never_star() -> None:
    api = props("PetStoreApi")
    assert api["Cors"]["AllowOrigin"] == "stageVariables.allowedOrigin"
    origin = api["Variables"]["allowedOrigin"]["Fn::If"]
    assert origin[1] == {"Fn::Sub": "https://${WebDomainName}"} and origin[2] == {"Fn::Sub": "https://${WebDistribution.DomainName}"}
    for response in api["GatewayResponses"].values():
        assert response["ResponseParameters"]["Headers"]["Access-Control-Allow-Origin"] != "'*'"
    assert "ALLOWED_ORIGIN" not in props("PetStoreFunction")["Environment"]["Variables"]  # the stage variable is the one place


def test_access_logs_are_json_with_the_principal_and_the_request_id() -> None:
    setting = props("PetStoreApi")["AccessLogSetting"]
    assert names_in(setting["DestinationArn"]) == {"ApiAccessLogGroup"}
    line = json.loads(re.sub(r"\$context\.[A-Za-z.]+", "x", setting["Format"]))
    assert {"requestId", "principal", "ip", "status", "latencyMs"} <= set(line)
    assert "$context.authorizer.claims.sub" in setting["Format"] and "$context.requestId" in setting["Format"]
    assert props("ApiGatewayAccount")["CloudWatchRoleArn"] == {"Fn::GetAtt": "ApiGatewayCloudWatchRole.Arn"}
    assert RESOURCES["PetStoreApi"]["DependsOn"] == "ApiGatewayAccount"
    assert props("ApiAccessLogGroup")["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_waf_is_optional_with_aws_managed_rules() -> None:
    conditions = load_template()["Conditions"]
    assert conditions["WafEnabled"] == {"Fn::Equals": [{"Ref": "EnableWaf"}, "true"]}
    for acl, condition in (("ApiWebAcl", "WafEnabled"), ("WebWebAcl", "CreateCloudFrontWaf")):
        assert RESOURCES[acl]["Condition"] == condition
        groups = {rule["Statement"]["ManagedRuleGroupStatement"]["Name"] for rule in props(acl)["Rules"]
                  if "ManagedRuleGroupStatement" in rule["Statement"]}
        assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= groups
    assert props("ApiWebAclAssociation")["WebACLArn"] == {"Fn::GetAtt": "ApiWebAcl.Arn"}
    assert props("ApiWebAcl")["Scope"] == "REGIONAL" and props("WebWebAcl")["Scope"] == "CLOUDFRONT"


def test_limits_are_parameters() -> None:
    function = props("PetStoreFunction")
    assert function["ReservedConcurrentExecutions"] == {
        "Fn::If": ["HasReservedConcurrency", {"Ref": "ReservedConcurrency"}, {"Ref": "AWS::NoValue"}]}
    assert function["Environment"]["Variables"]["QUERY_RATE_LIMIT"] == {"Ref": "QueryRateLimit"}
    assert function["Environment"]["Variables"]["RATE_LIMIT_TABLE"] == {"Ref": "RateLimitTable"}


# ---------------------------------------------------------------------- operations
def dashboard() -> dict[str, Any]:
    template, variables = props("OperationsDashboard")["DashboardBody"]["Fn::Sub"]
    return json.loads(re.sub(r"\$\{[^}]+\}", lambda m: "300" if "Ms}" in m.group(0) else "x", template))


def test_the_dashboard_shows_traffic_errors_latency_questions_tokens_and_throttles() -> None:
    widgets = dashboard()["widgets"]
    text = json.dumps(widgets)
    for needed in ('"Count"', '"4XXError"', '"5XXError"', '"stat": "p50"', '"stat": "p99"', '"LlmAnswers"',
                   '"KeywordAnswers"', "fallback_reason", '"BedrockInputTokens"', '"BedrockOutputTokens"',
                   "ThrottledRequests"):
        assert needed in text, needed


def test_the_dashboard_and_alarms_read_metrics_and_logs_the_code_writes() -> None:
    code = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "lambda" / "petstore").rglob("*.py"))
    emitted = set(re.findall(r'name="(\w+)"', code)) | set(re.findall(r'"(\w+Answers)"', code))
    shown = {metric[1] for widget in dashboard()["widgets"] for metric in widget["properties"].get("metrics", [])
             if isinstance(metric[0], str) and metric[0] == "PetStore"}
    alarmed = {query["MetricStat"]["Metric"]["MetricName"] for alarm in ("BedrockFallbackAlarm",)
               for query in props(alarm)["Metrics"] if "MetricStat" in query}
    assert shown and alarmed and (shown | alarmed) <= emitted, (shown | alarmed) - emitted
    log_widget = next(widget for widget in dashboard()["widgets"] if widget["type"] == "log")
    assert "'query answered'" in log_widget["properties"]["query"]
    assert '"query answered"' in code and "fallback_reason" in code
    assert 'namespace="PetStore"' in code and 'service="petstore"' in code


def test_alarms_watch_errors_latency_fallbacks_and_throttling() -> None:
    alarms = {logical: resource for logical, resource in RESOURCES.items() if resource["Type"] == "AWS::CloudWatch::Alarm"}
    assert set(alarms) == {"Api5xxAlarm", "ApiLatencyAlarm", "BedrockFallbackAlarm", "ThrottlingAlarm", "BackgroundErrorsAlarm"}
    watched = {names_in(query["MetricStat"]["Metric"]["Dimensions"]).pop() for query in props("BackgroundErrorsAlarm")["Metrics"]
               if "MetricStat" in query}
    assert watched == {"PetStoreMcpFunction", "PhotoProcessorFunction", "ReservationSweeperFunction"}
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == {"Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]}
        assert alarm["Properties"]["TreatMissingData"] == "notBreaching"
    assert props("ApiLatencyAlarm")["ExtendedStatistic"] == "p99"
    assert props("ApiLatencyAlarm")["Threshold"] == {"Ref": "LatencyP99AlarmMs"}
    throttled = {names_in(query["MetricStat"]["Metric"]["Dimensions"]).pop() for query in props("ThrottlingAlarm")["Metrics"]
                 if "MetricStat" in query}
    assert throttled == {"PetsTable", "IdempotencyTable", "SessionsTable", "RateLimitTable", "PetStoreFunction"}


# ---------------------------------------------------------------------- the checkers
def _tool(name: str) -> str:
    path = TOOLS / name
    assert path.exists(), f"{path} is missing: `make test` installs the template's checkers into .venv/tools"
    return str(path)


def test_checkov_fails_nothing_but_the_skips_listed_with_their_reasons(tmp_path: Path) -> None:
    config = (ROOT / ".checkov.yaml").read_text(encoding="utf-8")
    skips = dict(re.findall(r"^  - (CKV2?_AWS_\d+)\s+#\s*(\S.{20,})$", config, flags=re.M))
    import yaml

    assert set(yaml.safe_load(config)["skip-check"]) == set(skips), "every skip needs its reason on its line"
    result = subprocess.run(
        [_tool("checkov"), "-f", str(ROOT / "template.yaml"), "--framework", "cloudformation", "--skip-download",
         "-o", "json"],
        capture_output=True, text=True, timeout=240, cwd=tmp_path,  # not the repository: no .checkov.yaml applied
    )
    report = json.loads(result.stdout)
    assert report["summary"]["parsing_errors"] == 0 and report["summary"]["passed"] > 0
    failed = {check["check_id"] for check in report["results"]["failed_checks"]}
    assert failed - set(skips) == set(), f"new checkov findings: {sorted(failed - set(skips))}"
    assert set(skips) - failed == set(), f"skipped checks that pass now (drop them): {sorted(set(skips) - failed)}"


TRANSFORM = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
from petstore_dev.template import load_template
from samtranslator.translator.transform import transform
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
template = load_template()
for resource in template["Resources"].values():
    if resource["Type"] == "AWS::Serverless::Function":
        resource["Properties"]["CodeUri"] = "s3://bucket/code.zip"  # what sam package puts there
    if resource["Type"] == "AWS::Serverless::LayerVersion":
        resource["Properties"]["ContentUri"] = "s3://bucket/layer.zip"
class NoManagedPolicies:
    def load(self):
        return {}
print(json.dumps(transform(template, {}, NoManagedPolicies())))
"""


def test_the_sam_transform_gives_an_acyclic_template_with_the_origin_on_the_stage() -> None:
    result = subprocess.run([_tool("python"), "-c", TRANSFORM, str(ROOT)], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    resources = json.loads(result.stdout)["Resources"]
    graph = {}
    for logical, resource in resources.items():
        depends = resource.get("DependsOn") or []
        graph[logical] = (names_in(resource.get("Properties", {})) | set([depends] if isinstance(depends, str) else depends)) & set(resources)

    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"dependency cycle: {' -> '.join(path + (node,))}"
        if node not in done:
            for target in graph[node]:
                visit(target, path + (node,))
            done.add(node)

    for node in graph:
        visit(node, ())
    stage = next(resource for resource in resources.values() if resource["Type"] == "AWS::ApiGateway::Stage")
    assert "WebDistribution" in names_in(stage["Properties"]["Variables"])
    rest_api = resources["PetStoreApi"]
    assert "WebDistribution" not in names_in(rest_api["Properties"])
    assert "stageVariables.allowedOrigin" in json.dumps(rest_api["Properties"]["Body"])
