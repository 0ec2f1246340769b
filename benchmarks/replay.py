"""A DynamoDB endpoint that answers from a recording, instantly.

Cold starts measured against moto include moto's own time, which is not DynamoDB's: its server spends
about a millisecond and a half per item it returns, and more on index queries than on a Scan. Recording
each handler's calls once against moto and replaying the same answers leaves what a handler itself
costs (imports, client, serialising, its own logic) with the store's latency taken out for all of them.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_HOP_BY_HOP = {"transfer-encoding", "connection", "content-length", "date", "server"}


class ReplayEndpoint:
    def __init__(self, upstream: str) -> None:
        target = urlsplit(upstream)
        self.recording: dict[tuple[str, bytes], tuple[int, list[tuple[str, str]], bytes]] = {}
        self.replaying = False
        self.missed = 0
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once: no delayed-ACK stall per call

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = (self.headers.get("X-Amz-Target", ""), body)
                answer = endpoint.recording.get(key) if endpoint.replaying else None
                if answer is None:
                    if endpoint.replaying:
                        endpoint.missed += 1
                    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                    try:
                        connection.request("POST", self.path, body=body, headers=dict(self.headers.items()))
                        response = connection.getresponse()
                        answer = (response.status, [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP],
                                  response.read())
                    finally:
                        connection.close()
                    endpoint.recording[key] = answer
                status, headers, payload = answer
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="dynamodb-replay", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
