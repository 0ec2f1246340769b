"""The local gateway: what API Gateway, its Cognito authorizer and the page's static host do, on one port.

- API paths become API Gateway REST (v1) proxy events for the real Lambda handler; its answer goes back as HTTP.
- Every API route but the public ones needs a Cognito ID token (see `authorizer.py`).
- `OPTIONS` is answered the way the API's CORS configuration answers it.
- `/photo-uploads` and `/photos/...` are the photos bucket: upload forms in, checked photos out (see `photos.py`).
- `/cognito/...` is Cognito's JSON API (served by the embedded emulator) for the page's origin: the user-facing
  calls only (sign-in, challenges, password change and reset, MFA set-up), never an admin call.
- Anything else is a file of `frontend/`.
"""

from __future__ import annotations

import base64
import http
import http.client
import json
import sys
import threading
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werkzeug.datastructures import Headers
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Request, Response

from .cognito import PUBLIC_ACTIONS, TARGET_PREFIX
from .events import PUBLIC_RESOURCES, match_resource, rest_event

if TYPE_CHECKING:
    from .password_reset import PasswordResets
    from .photos import LocalPhotos

API_PREFIXES = ("/pets",)
COGNITO_PREFIX = "/cognito"
LOCALLY_ANSWERED = frozenset({"RevokeToken", "GlobalSignOut"})
CORS_ALLOW_HEADERS = "Authorization,Content-Type,Idempotency-Key,If-Match"
CORS_ALLOW_METHODS = "GET,POST,PATCH,DELETE,OPTIONS"
CORS_MAX_AGE = "600"
MAX_REQUEST_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
                         "transfer-encoding", "upgrade", "host", "content-length", "server", "date"})
_EMULATOR_RESET_CODE = "x-moto-forgot-password-confirmation-code"
_COGNITO_EXPOSE = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
_COGNITO_ALLOW_HEADERS = "Content-Type,X-Amz-Target,X-Amz-User-Agent,X-Amz-Date,X-Amz-Security-Token,Authorization,Cache-Control"
_TEXT_TYPES = ("application/json", "application/x-www-form-urlencoded", "application/xml", "application/javascript",
               "application/x-amz-json-1.0", "application/x-amz-json-1.1")


def is_api_path(path: str) -> bool:
    if match_resource(path) is not None:
        return True
    return any(path == prefix or path.startswith(prefix + "/") for prefix in API_PREFIXES)


def _is_binary(content_type: str | None, body: bytes) -> bool:
    """Bodies API Gateway would hand over base64-encoded: non-text media types, or bytes that aren't UTF-8."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    textual = (not media or media.startswith("text/") or media in _TEXT_TYPES
               or media.endswith("+json") or media.endswith("+xml"))
    if not textual:
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


class _Context:
    """The Lambda context object the handler receives."""

    function_name = "petstore-local"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:petstore-local"
    log_group_name = "/aws/lambda/petstore-local"
    log_stream_name = "local"
    timeout_ms = 10_000

    def __init__(self) -> None:
        import time

        self.aws_request_id = str(uuid.uuid4())
        self._deadline = time.monotonic() + self.timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        import time

        return max(0, int((self._deadline - time.monotonic()) * 1000))


class LambdaRuntime:
    """Runs the handler one event at a time, as one Lambda execution environment does."""

    def __init__(self, handler: Callable[[dict[str, Any], Any], dict[str, Any]]) -> None:
        self.handler = handler
        self._lock = threading.Lock()

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            return self.handler(event, _Context())


class Gateway:
    """The WSGI application behind the local stack's port."""

    def __init__(
        self,
        *,
        invoke: Callable[[dict[str, Any]], dict[str, Any]],
        authorize: Callable[[str | None], dict[str, str] | None],
        allowed_origin: str,
        cognito_upstream: str | None = None,
        frontend_dir: Path | None = None,
        stage: str = "local",
        functions: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
        local_routes: dict[str, Callable[[Request], Response]] | None = None,
        password_resets: PasswordResets | None = None,
        page_config: dict[str, Any] | None = None,
        photos: LocalPhotos | None = None,
    ) -> None:
        self.invoke = invoke
        # Paths served by another function with no authorizer at the gateway (the MCP function checks tokens
        # itself), and paths answered by the stack itself (the OAuth token endpoint Cognito's domain serves).
        self.functions = functions or {}
        self.local_routes = local_routes or {}
        self.authorize = authorize
        self.allowed_origin = allowed_origin
        self.page_origins = loopback_aliases(allowed_origin)
        self.password_resets = password_resets
        self.cognito_upstream = urlsplit(cognito_upstream) if cognito_upstream else None
        self.frontend_dir = frontend_dir
        self.stage = stage
        self.page_config = page_config or {}
        self.photos = photos  # the photos bucket: upload forms in, /photos/... out (photos.py)

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        request.max_content_length = MAX_REQUEST_BYTES
        try:
            response = self.dispatch(request)
        except RequestEntityTooLarge:
            response = self.gateway_error(413, "Request Too Long", "PayloadTooLarge")
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if path == COGNITO_PREFIX or path.startswith(COGNITO_PREFIX + "/"):
            return self.cognito(request, path[len(COGNITO_PREFIX):] or "/")
        if path in self.local_routes:
            return self.local_routes[path](request)
        if self.photos is not None:
            from .photos import SERVED_PREFIX, UPLOAD_PATH

            if path == UPLOAD_PATH and request.method != "OPTIONS":
                return self.photos.upload(request)
            if path.startswith(SERVED_PREFIX):
                return self.photos.serve(request)
        if request.method == "OPTIONS":
            return self.preflight()
        if path in self.functions:
            return self.api(request, self.functions[path])
        if is_api_path(path):
            return self.api(request)
        if request.method in ("GET", "HEAD"):
            found = self.static_file(request, path)
            if found is not None:
                return found
        return self.not_found(path)

    # ------------------------------------------------------------------ API
    def api(self, request: Request, function: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Response:
        matched = match_resource(request.path)
        claims: dict[str, str] | None = None
        if function is None and not (matched and matched[0] in PUBLIC_RESOURCES):
            claims = self.authorize(request.headers.get("Authorization"))
            if claims is None:
                return self.gateway_error(401, "Unauthorized", "Unauthorized", error_type="UnauthorizedException",
                                          detail="Sign in first: send a valid Cognito ID token in the Authorization header.")
        event = self.build_event(request, claims)
        try:
            result = (function or self.invoke)(event)
            return self.http_response(result, event["requestContext"]["requestId"])
        except Exception:  # noqa: BLE001 - a failed invocation is API Gateway's 502, as in AWS
            traceback.print_exc(file=sys.stderr)
            return self.gateway_error(502, "Internal server error", "InternalError",
                                      error_type="InternalServerErrorException")

    def build_event(self, request: Request, claims: dict[str, str] | None) -> dict[str, Any]:
        client_ip = request.remote_addr or "127.0.0.1"
        forwarded_for = request.headers.get("X-Forwarded-For")
        headers = [(name, value) for name, value in request.headers.items() if not name.lower().startswith("x-forwarded-")]
        headers += [("X-Forwarded-For", f"{forwarded_for}, {client_ip}" if forwarded_for else client_ip),
                    ("X-Forwarded-Port", str(request.environ.get("SERVER_PORT", ""))),
                    ("X-Forwarded-Proto", request.scheme)]
        data = request.get_data(cache=False)
        binary = bool(data) and _is_binary(request.headers.get("Content-Type"), data)
        return rest_event(
            request.method,
            request.path,
            query=request.environ.get("QUERY_STRING", ""),
            headers=headers,
            body=data if data else None,
            claims=claims,
            stage=self.stage,
            source_ip=client_ip,
            binary=binary,
        )

    @staticmethod
    def http_response(result: dict[str, Any], request_id: str) -> Response:
        """API Gateway's reading of a proxy integration's answer."""
        status = int(result["statusCode"])
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode("utf-8")
        headers = Headers()
        for name, values in (result.get("multiValueHeaders") or {}).items():
            for value in values or ():
                headers.add(name, str(value))
        for name, value in (result.get("headers") or {}).items():
            if str(value) not in headers.getlist(name):
                headers.add(name, str(value))
        if "Content-Type" not in headers:
            headers["Content-Type"] = "application/json"
        headers["x-amzn-RequestId"] = request_id
        return Response(data, status=status, headers=headers)

    # ------------------------------------------------------------------ gateway answers
    def cors_headers(self) -> dict[str, str]:
        return {"Access-Control-Allow-Origin": self.allowed_origin, "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS}

    def preflight(self) -> Response:
        headers = {**self.cors_headers(), "Access-Control-Allow-Methods": CORS_ALLOW_METHODS,
                   "Access-Control-Max-Age": CORS_MAX_AGE, "Content-Type": "application/json"}
        return Response(b"", status=200, headers=headers)

    def gateway_error(self, status: int, message: str, code: str, error_type: str | None = None,
                      detail: str | None = None) -> Response:
        """An answer API Gateway makes itself (as template.yaml's GatewayResponses shape it): its `message`,
        plus the API's `error` object for clients of the contract."""
        headers = {"Content-Type": "application/json", **self.cors_headers()}
        if error_type:
            headers["x-amzn-ErrorType"] = error_type
        body = {"message": message, "error": {"code": code, "message": detail or message}}
        return Response(json.dumps(body), status=status, headers=headers)

    def not_found(self, path: str) -> Response:
        body = {"error": {"code": "NotFound", "message": f"No route {path}."}}
        return Response(json.dumps(body), status=404, headers={"Content-Type": "application/json", **self.cors_headers()})

    # ------------------------------------------------------------------ the page
    def static_file(self, request: Request, path: str) -> Response | None:
        if self.frontend_dir is None or not self.frontend_dir.is_dir():
            return None
        from werkzeug.security import safe_join
        from werkzeug.utils import send_file

        relative = path.lstrip("/")
        target = safe_join(str(self.frontend_dir), relative) if relative else str(self.frontend_dir)
        if target is None:
            return None
        candidate = Path(target)
        if candidate.is_dir():
            if relative and not path.endswith("/"):
                return Response(status=308, headers={"Location": path + "/"})
            candidate = candidate / "index.html"
        if not candidate.is_file():
            if relative == "config.json":
                # The page's own settings: locally the API is on the page's origin (no apiUrl); the sign-in flow
                # and the demo logins are for this stack only.
                return Response(json.dumps(self.page_config).encode(), status=200,
                                headers={"Content-Type": "application/json", "Cache-Control": "no-cache"})
            return None
        response = send_file(candidate, request.environ, max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        return response

    # ------------------------------------------------------------------ Cognito
    def cognito(self, request: Request, subpath: str) -> Response:
        """Cognito's JSON API for the page and clients: only the user-facing calls Cognito answers without AWS
        credentials (`PUBLIC_ACTIONS`); never an admin call, signed or not. CORS for the stack's own origin only."""
        origin = request.headers.get("Origin")
        if origin is not None and origin not in self.page_origins:
            return self.cognito_error(403, "AccessDeniedException", f"Origin {origin[:100]} may not call this Cognito endpoint.")
        cors = {"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": _COGNITO_EXPOSE,
                "Vary": "Origin"} if origin else {"Vary": "Origin"}
        if request.method == "OPTIONS":
            allow = request.headers.get("Access-Control-Request-Headers") or _COGNITO_ALLOW_HEADERS
            return Response(b"", status=200, headers={**cors, "Access-Control-Allow-Methods": "GET,POST,OPTIONS",
                                                       "Access-Control-Allow-Headers": allow,
                                                       "Access-Control-Max-Age": CORS_MAX_AGE})
        if self.cognito_upstream is None:
            return self.not_found(request.path)
        action = ""
        if request.method == "POST":
            target = request.headers.get("X-Amz-Target", "")
            action = target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else ""
            if action not in PUBLIC_ACTIONS:
                if request.headers.get("Authorization", "").startswith("AWS4-"):
                    return self.cognito_error(403, "AccessDeniedException", (
                        f"{action or 'This call'} is not served here: this endpoint takes only the calls a signed-out "
                        "browser makes. Send admin calls to the emulator URL petstore-dev prints."), cors)
                return self.cognito_error(400, "MissingAuthenticationTokenException", "Missing Authentication Token", cors)
            if action in LOCALLY_ANSWERED:
                # The emulator lacks these; locally, forgetting the tokens client-side is the whole sign-out.
                return Response(b"{}", status=200, headers={**cors, "Content-Type": "application/x-amz-json-1.1"})
            if action == "ConfirmForgotPassword" and self.password_resets is not None:
                return self.confirm_forgot_password(request, cors)
        elif request.method not in ("GET", "HEAD") or not subpath.rstrip("/").endswith(
            ("/.well-known/jwks.json", "/.well-known/openid-configuration")
        ):
            return self.not_found(request.path)
        query = request.environ.get("QUERY_STRING", "")
        upstream_path = subpath + (f"?{query}" if query else "")
        forward = {name: value for name, value in request.headers.items()
                   if name.lower() not in _HOP_BY_HOP and name.lower() not in ("origin", "referer", "authorization")}
        data = request.get_data(cache=False) if request.method == "POST" else None
        connection = http.client.HTTPConnection(self.cognito_upstream.hostname, self.cognito_upstream.port, timeout=30)
        try:
            connection.request(request.method, upstream_path, body=data, headers=forward)
            upstream = connection.getresponse()
            payload = upstream.read()
            issued = upstream.getheader(_EMULATOR_RESET_CODE)
            # The emulator's own headers (one carries the reset code it issued) never leave the stack.
            headers = {name: value for name, value in upstream.getheaders()
                       if name.lower() not in _HOP_BY_HOP and not name.lower().startswith(("access-control-", "x-moto-"))}
        finally:
            connection.close()
        if action == "ForgotPassword" and self.password_resets is not None and upstream.status == 200 \
                and issued and issued != "None":
            fields = _json_object(data)
            self.password_resets.start(str(fields.get("ClientId", "")), str(fields.get("Username", "")))
        return Response(payload, status=upstream.status, headers={**headers, **cors})

    def confirm_forgot_password(self, request: Request, cors: dict[str, str]) -> Response:
        from .password_reset import ResetRefused

        fields = _json_object(request.get_data(cache=False))
        values = {name: fields.get(name) for name in ("ClientId", "Username", "ConfirmationCode", "Password")}
        missing = [name for name, value in values.items() if not isinstance(value, str) or not value]
        if missing:
            return self.cognito_error(400, "InvalidParameterException", f"Missing or invalid: {', '.join(missing)}.", cors)
        assert self.password_resets is not None
        try:
            self.password_resets.confirm(values["ClientId"], values["Username"], values["ConfirmationCode"], values["Password"])
        except ResetRefused as refused:
            return self.cognito_error(400, refused.error_type, refused.message, cors)
        return Response(b"{}", status=200, headers={**cors, "Content-Type": "application/x-amz-json-1.1"})

    @staticmethod
    def cognito_error(status: int, error_type: str, message: str, cors: dict[str, str] | None = None) -> Response:
        return Response(json.dumps({"__type": error_type, "message": message}), status=status,
                        headers={**(cors or {}), "Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": error_type})


def _json_object(data: bytes | None) -> dict[str, Any]:
    try:
        value = json.loads(data or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def loopback_aliases(origin: str) -> frozenset[str]:
    """The origin, and when it is a loopback address the same port under the other loopback names."""
    parts = urlsplit(origin)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1") or parts.port is None:
        return frozenset({origin})
    return frozenset({origin} | {f"{parts.scheme}://{host}:{parts.port}" for host in ("127.0.0.1", "localhost", "[::1]")})


class RequestLog(WSGIRequestHandler):
    """One short line per request on stderr (or none), instead of werkzeug's default access log; errors the HTTP
    server answers itself (a request line or header too long, a malformed request line) in the API's JSON shape."""

    quiet = False

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if not self.quiet:
            # Before the request line is parsed (a 414, a garbled line) there is no command or path yet.
            command = getattr(self, "command", None) or "-"
            path = getattr(self, "path", None) or "-"
            sys.stderr.write(f"{command} {path[:200]} {code}\n")

    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 - werkzeug's signature
        if type == "error" and not self.quiet:
            sys.stderr.write(f"{type}: {message % args if args else message}\n")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == http.HTTPStatus.HTTP_VERSION_NOT_SUPPORTED:
            code = http.HTTPStatus.BAD_REQUEST  # nothing a client sends is answered with a 5xx
        short, long = self.responses.get(code, ("Bad Request", "The request could not be read."))
        detail = (message or explain or long)[:200]  # may quote the request line: JSON-escaped, never in the status line
        body = json.dumps({"message": short, "error": {"code": _HTTP_ERROR_CODES.get(code, "BadRequest"),
                                                        "message": detail}}).encode()
        self.log_error("code %d, message %s", code, detail)
        if getattr(self, "request_version", "") in ("", "HTTP/0.9"):
            self.request_version = "HTTP/1.0"  # a garbled line still gets a status line and headers
        self.close_connection = True
        self.send_response(code, short)
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if getattr(self, "command", None) != "HEAD":
            self.wfile.write(body)


_HTTP_ERROR_CODES = {400: "BadRequest", 408: "RequestTimeout", 413: "PayloadTooLarge", 414: "UriTooLong",
                     431: "RequestHeaderFieldsTooLarge", 501: "NotImplemented"}


def request_handler(quiet: bool) -> type[RequestLog]:
    return type("QuietRequestLog" if quiet else "RequestLog", (RequestLog,), {"quiet": quiet})
