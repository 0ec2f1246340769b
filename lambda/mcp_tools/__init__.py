"""The pet store's MCP tools, declared once and bound to a backend.

- `declarations`: names, argument and result schemas (from the core's models), annotations, the
  `pet://{id}` resource, and the server that lists write tools only to callers allowed to write.
- `backend`: what a backend provides and how its failures read.
- `core_backend`: the core service in-process, as the caller (the deployed `/mcp` function).
- `mcp_server.api_backend` (outside this package): the HTTP API through its client (`petstore-mcp`).

Importing this package imports nothing else; `routes` and `backend` stay free of the `mcp` SDK.
"""
