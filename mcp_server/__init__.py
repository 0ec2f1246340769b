"""The pet store as MCP tools: a client of the PetStore HTTP API, served over stdio or streamable HTTP.

Kept import-free so `petstore-mcp --help` and start-up stay fast; see `mcp_server.server.build_server`.
"""
