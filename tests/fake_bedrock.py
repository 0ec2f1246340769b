"""A local HTTP endpoint that answers Bedrock Runtime's Converse API, for AWS_ENDPOINT_URL_BEDROCK_RUNTIME."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def tool_answer(tool_input: dict[str, Any], input_tokens: int = 321, output_tokens: int = 42) -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [
            {"toolUse": {"toolUseId": "tooluse_1", "name": "search_pets", "input": tool_input}}
        ]}},
        "stopReason": "tool_use",
        "usage": {"inputTokens": input_tokens, "outputTokens": output_tokens, "totalTokens": input_tokens + output_tokens},
        "metrics": {"latencyMs": 120},
    }


class FakeBedrock:
    def __init__(self) -> None:
        self.answer: dict[str, Any] = tool_answer({})
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                fake.requests.append({"path": self.path, "body": json.loads(self.rfile.read(length) or b"{}")})
                if fake.delay:
                    time.sleep(fake.delay)
                payload = json.dumps(fake.answer).encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    if fake.status != 200:
                        self.send_header("x-amzn-ErrorType", fake.answer.get("__type", "ThrottlingException"))
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeBedrock:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
