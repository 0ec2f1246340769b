"""Reads template.yaml, the one definition of the tables and the user pool, for the local stack and tests."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that keeps CloudFormation's short-form intrinsics (!Ref, !Sub, ...) as plain data."""


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


@functools.cache
def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass


def resources_of_type(resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in load_template()["Resources"].items()
        if resource["Type"] == resource_type
    }


TABLE_ENV = {"PetsTable": "PETS_TABLE", "IdempotencyTable": "IDEMPOTENCY_TABLE", "SessionsTable": "SESSIONS_TABLE",
             "RateLimitTable": "RATE_LIMIT_TABLE"}


def create_tables(dynamodb: Any, prefix: str = "petstore") -> dict[str, str]:
    """Create every table the template declares; returns {environment variable: table name}."""
    env: dict[str, str] = {}
    for logical_id, props in resources_of_type("AWS::DynamoDB::Table").items():
        name = f"{prefix}-{logical_id}"
        kwargs: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        dynamodb.create_table(**kwargs)
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        env[TABLE_ENV.get(logical_id, logical_id.upper())] = name
    return env


BUCKET_ENV = {"PhotosBucket": "PHOTOS_BUCKET"}


def create_buckets(s3: Any, prefix: str = "petstore") -> dict[str, str]:
    """Create the buckets the functions use (BUCKET_ENV) with the template's lifecycle rules; {variable: bucket}."""
    env: dict[str, str] = {}
    for logical_id, props in resources_of_type("AWS::S3::Bucket").items():
        if logical_id not in BUCKET_ENV:
            continue  # the page's bucket: the local gateway serves frontend/ itself
        name = f"{prefix}-{logical_id}".lower()
        s3.create_bucket(Bucket=name)
        rules = [_lifecycle_rule(rule) for rule in (props.get("LifecycleConfiguration") or {}).get("Rules", [])]
        if rules:
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
        env[BUCKET_ENV[logical_id]] = name
    return env


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A lifecycle rule as CloudFormation writes it, as S3's API takes it."""
    converted: dict[str, Any] = {"ID": rule["Id"], "Status": rule["Status"], "Filter": {"Prefix": rule.get("Prefix", "")}}
    if "ExpirationInDays" in rule:
        converted["Expiration"] = {"Days": rule["ExpirationInDays"]}
    if "AbortIncompleteMultipartUpload" in rule:
        converted["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
    return converted


def s3_event_functions() -> list[dict[str, Any]]:
    """Functions the template subscribes to S3 events: [{"function", "handler", "bucket", "prefix", "events"}]."""
    found = []
    for logical_id, props in resources_of_type("AWS::Serverless::Function").items():
        for event in (props.get("Events") or {}).values():
            if event.get("Type") != "S3":
                continue
            properties = event["Properties"]
            rules = properties.get("Filter", {}).get("S3Key", {}).get("Rules", [])
            events = properties["Events"]
            found.append({
                "function": logical_id,
                "handler": props["Handler"],
                "bucket": properties["Bucket"]["Ref"],
                "prefix": next((rule["Value"] for rule in rules if rule["Name"].lower() == "prefix"), ""),
                "events": events if isinstance(events, list) else [events],
            })
    return found


def with_parameter_defaults(value: Any) -> Any:
    """`value` with each !Ref to a template parameter replaced by the parameter's default (what a deploy that
    leaves the parameter alone gets)."""
    parameters = load_template().get("Parameters", {})
    if isinstance(value, dict):
        if set(value) == {"Ref"} and "Default" in parameters.get(value["Ref"], {}):
            return parameters[value["Ref"]]["Default"]
        return {key: with_parameter_defaults(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_parameter_defaults(item) for item in value]
    return value


def user_pool_settings() -> dict[str, Any]:
    """Password policy, sign-in attributes, MFA, app client flows and groups the template declares."""
    pool = with_parameter_defaults(next(iter(resources_of_type("AWS::Cognito::UserPool").values())))
    # The web client: the one without the client-credentials grant (that one is the agents', see agents.py).
    client = next(props for props in resources_of_type("AWS::Cognito::UserPoolClient").values()
                  if "client_credentials" not in (props.get("AllowedOAuthFlows") or []))
    groups = [props["GroupName"] for props in resources_of_type("AWS::Cognito::UserPoolGroup").values()]
    return {"pool": pool, "client": client, "groups": groups}
