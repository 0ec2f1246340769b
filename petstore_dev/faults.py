"""Fault injection for the local stack: DynamoDB throttling on chosen operations.

    PETSTORE_DEV_FAULTS="dynamodb:Query,TransactWriteItems" petstore-dev --no-seed

puts a small proxy between the handler and the emulated DynamoDB that answers the named operations with
ProvisionedThroughputExceededException, as DynamoDB does when a table is over its capacity, and forwards
everything else. For trying how the API behaves under throttling; never used unless asked for.
"""

from __future__ import annotations

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

THROTTLED = {
    "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    "message": "The level of configured provisioned throughput for the table was exceeded (injected by PETSTORE_DEV_FAULTS).",
}


def throttled_operations(spec: str | None) -> frozenset[str]:
    """`dynamodb:Query,TransactWriteItems` -> {"Query", "TransactWriteItems"}; anything else names no DynamoDB fault."""
    if not spec:
        return frozenset()
    service, _, operations = spec.partition(":")
    if service.strip().lower() != "dynamodb":
        return frozenset()
    return frozenset(op.strip() for op in operations.split(",") if op.strip())


class ThrottlingProxy:
    def __init__(self, upstream: str, operations: frozenset[str]) -> None:
        target = urlsplit(upstream)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
                if operation in operations:
                    proxy.throttled += 1
                    self._answer(400, json.dumps(THROTTLED).encode(), {"Content-Type": "application/x-amz-json-1.0"})
                    return
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                try:
                    connection.request("POST", self.path, body=body, headers=dict(self.headers.items()))
                    upstream_response = connection.getresponse()
                    self._answer(upstream_response.status, upstream_response.read(),
                                 {k: v for k, v in upstream_response.getheaders() if k.lower() not in ("transfer-encoding", "connection", "content-length")})
                finally:
                    connection.close()

            def _answer(self, status: int, payload: bytes, headers: dict[str, Any]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.throttled = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="dynamodb-faults", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
