"""The Bedrock tool's input schema, generated from the PetFilter model (never written by hand)."""

from __future__ import annotations

import copy
import functools
from typing import Any

from ..models import PetFilter

TOOL_NAME = "search_pets"


def _simplify(node: Any, defs: dict[str, Any]) -> Any:
    """Inline $refs and turn `anyOf: [X, null]` into X: small models follow flat schemas better."""
    if isinstance(node, list):
        return [_simplify(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = copy.deepcopy(defs[node["$ref"].rsplit("/", 1)[-1]])
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _simplify(merged, defs)
    if "anyOf" in node:
        options = [option for option in node["anyOf"] if option.get("type") != "null"]
        if len(options) == 1:
            rest = {k: v for k, v in node.items() if k != "anyOf"}
            return _simplify({**options[0], **rest}, defs)
    return {k: _simplify(v, defs) for k, v in node.items() if k not in ("title", "default", "$defs")}


UNRECOGNISED = {
    "type": "array",
    "items": {"type": "string"},
    "maxItems": 10,
    "description": "Words of the message naming an animal, breed or wish the filter cannot express; empty if none.",
}


@functools.cache
def filter_tool_schema() -> dict[str, Any]:
    """The filter's schema, plus `unrecognised` (what the model could not map; not part of the filter)."""
    schema = PetFilter.model_json_schema()
    simple = _simplify(schema, schema.get("$defs", {}))
    simple["properties"]["unrecognised"] = UNRECOGNISED
    return simple


def tool_spec() -> dict[str, Any]:
    return {
        "toolSpec": {
            "name": TOOL_NAME,
            "description": (
                "Search the pet store's inventory with a structured filter. Set only the fields the "
                "shopper's latest message asks for; leave out everything else."
            ),
            "inputSchema": {"json": filter_tool_schema()},
        }
    }
