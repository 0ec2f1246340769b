"""Paths the MCP function answers (API Gateway routes them to it, and the local gateway does the same)."""

MCP_PATH = "/mcp"
METADATA_PATH = "/.well-known/oauth-protected-resource"
ROUTES: dict[str, set[str]] = {MCP_PATH: {"POST"}, METADATA_PATH: {"GET"}}
