"""The whole pet store on one machine: emulated DynamoDB and Cognito, the real handler behind a local gateway.

`LocalStack` runs it in this process (what `petstore-dev` does); `StackProcess` runs `petstore-dev` as a
child process and knows the same things about it (what the tests use). `sign_in` signs in the way the page does.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .cognito import DemoUser, demo_users
from .faults import ThrottlingProxy, throttled_operations
from .photos import UPLOAD_PATH
from .template import ROOT

LAMBDA_DIR = ROOT / "lambda"
FRONTEND_DIR = ROOT / "frontend"
SAMPLE_PETS = Path(__file__).resolve().parent / "data" / "sample_pets.json"
SAMPLE_PHOTOS = Path(__file__).resolve().parent / "data" / "photos"  # <name>.jpg: a photo of the sample pet of that name
DEFAULT_REGION = "us-east-1"
DEFAULT_BEDROCK_MODEL = "us.amazon.nova-micro-v1:0"
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}
STAGE = "local"
DEFAULT_SWEEP_SECONDS = 60.0  # how often the local stack releases lapsed reservations (the template: 5 minutes)


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def urlopen(request: str | urllib.request.Request, timeout: float = 15) -> Any:
    """urllib's urlopen, but loopback addresses never go through an HTTP proxy from the environment."""
    url = request.full_url if isinstance(request, urllib.request.Request) else request
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.startswith("127.") or host == "::1":
        return _DIRECT.open(request, timeout=timeout)
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - http(s) URLs of the caller's choosing


class StackError(RuntimeError):
    """The stack could not start; the message says why in one line."""


class PortInUse(StackError):
    pass


def url_host(host: str) -> str:
    """The host part of a URL for a listening address (wildcards become loopback)."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def has_aws_credentials() -> bool:
    """Whether boto would find real credentials (environment, profiles, SSO, container or instance role)."""
    try:
        import botocore.session

        session = botocore.session.get_session()
        session.set_config_variable("metadata_service_timeout", 1)
        session.set_config_variable("metadata_service_num_attempts", 1)
        credentials = session.get_credentials()
        return bool(credentials and credentials.get_frozen_credentials().access_key)
    except Exception:  # noqa: BLE001 - a broken profile is as good as none
        return False


def _announce(message: str) -> None:
    """A line on the stack's console (where a reset code stands in for Cognito's e-mail)."""
    print(f"petstore-dev: {message}", flush=True)


def load_sample_pets() -> list[dict[str, Any]]:
    with open(SAMPLE_PETS, encoding="utf-8") as handle:
        return json.load(handle)


class LocalStack:
    """Emulated AWS on loopback, the user pool and tables of template.yaml, the handler behind a gateway."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 3000,
        *,
        seed: bool = True,
        password: str | None = None,
        region: str | None = None,
        frontend_dir: Path | None = FRONTEND_DIR,
        quiet: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.seed = seed
        self.users: dict[str, DemoUser] = demo_users(password)
        self.region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
        self.frontend_dir = frontend_dir
        self.quiet = quiet
        self.url = ""
        self.cognito_endpoint = ""
        self.moto_url = ""
        self.user_pool_id = ""
        self.client_id = ""
        self.tables: dict[str, str] = {}
        self.seeded = 0
        self.real_credentials = False
        self.bedrock_model_id = ""
        self._socket: socket.socket | None = None
        self._moto: Any = None
        self._faults: ThrottlingProxy | None = None
        self.throttled_operations: frozenset[str] = frozenset()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._saved_env: dict[str, str | None] = {}
        self._cognito: Any = None
        self.runtime: Any = None
        self.authorizer: Any = None
        self.agent: Any = None  # agents.AgentClient: the agents' app client (client credentials)
        self.mcp_runtime: Any = None
        self.token_endpoint: Any = None
        self.buckets: dict[str, str] = {}
        self.photos: Any = None  # photos.LocalPhotos: the photos bucket behind the gateway
        self.photo_runtime: Any = None  # the photo processor (S3 events in)
        self.seeded_photos = 0
        self.sweep_seconds = float(os.environ.get("PETSTORE_DEV_SWEEP_SECONDS") or DEFAULT_SWEEP_SECONDS)
        self._sweeper: threading.Thread | None = None
        self._stop_sweeping = threading.Event()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> LocalStack:
        self._bind()
        try:
            credentials: dict[str, bool] = {}
            checker = threading.Thread(target=lambda: credentials.setdefault("real", has_aws_credentials()), daemon=True)
            checker.start()
            self._bypass_proxies()
            self._start_moto()
            self._provision()
            checker.join()
            self.real_credentials = credentials.get("real", False)
            self._configure_environment()
            self._start_gateway()
            self._start_sweeper()
            if self.seed:
                self._seed()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self._stop_sweeping.set()
        if self._sweeper is not None:
            self._sweeper.join(timeout=5)
            self._sweeper = None
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self.photos is not None:
            self.photos.stop()
            self.photos = None
        if self._faults is not None:
            self._faults.stop()
            self._faults = None
        if self._moto is not None:
            try:
                self._moto.stop()
            except Exception:  # noqa: BLE001 - stopping is best effort
                pass
            self._moto = None
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env = {}

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ steps
    def _bind(self) -> None:
        """Take the port first, so a busy port fails fast and clearly."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            import errno

            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(f"port {self.port} on {self.host} is already in use; stop what is using it or pass --port") from None
            raise StackError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from None
        self._socket = sock
        self.port = sock.getsockname()[1]
        self.url = f"http://{url_host(self.host)}:{self.port}"
        self.cognito_endpoint = f"{self.url}/cognito"

    def _setenv(self, key: str, value: str) -> None:
        self._saved_env.setdefault(key, os.environ.get(key))
        os.environ[key] = value

    def _bypass_proxies(self) -> None:
        """Calls to the emulator and the gateway stay on loopback even when an HTTP proxy is configured."""
        for key in ("NO_PROXY", "no_proxy"):
            present = [part.strip() for part in os.environ.get(key, "").split(",") if part.strip()]
            missing = [host for host in ("127.0.0.1", "localhost", "::1") if host not in present]
            if missing and (present or any(os.environ.get(name) for name in (
                    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"))):
                self._setenv(key, ",".join(present + missing))

    def _start_moto(self) -> None:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the emulator's access log is noise here
        from moto.moto_server.threaded_moto_server import ThreadedMotoServer

        # TOTP codes are checked for real (against the emulator's fixed secret), so MFA set-up can fail as it should.
        self._setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._moto.start()
        host, port = self._moto.get_host_and_port()
        self.moto_url = f"http://{host}:{port}"

    def _aws_client(self, service: str) -> Any:
        import boto3

        session = boto3.session.Session(region_name=self.region, **{
            "aws_access_key_id": "testing", "aws_secret_access_key": "testing", "aws_session_token": "testing"})
        return session.client(service, endpoint_url=self.moto_url)

    def _provision(self) -> None:
        from .cognito import provision
        from .template import create_buckets, create_tables

        self.tables = create_tables(self._aws_client("dynamodb"), prefix="petstore-local")
        self.buckets = create_buckets(self._aws_client("s3"), prefix="petstore-local")
        self._cognito = self._aws_client("cognito-idp")
        try:
            pool = provision(self._cognito, self.users)
        except self._cognito.exceptions.InvalidPasswordException as exc:
            raise StackError(f"PETSTORE_DEMO_PASSWORD does not meet the user pool's password policy "
                             f"({exc.response['Error'].get('Message', 'rejected')})") from None
        self.user_pool_id, self.client_id = pool.pool_id, pool.client_id
        from .agents import provision_agents

        self.agent = provision_agents(self._cognito, self.user_pool_id)

    def _configure_environment(self) -> None:
        env: dict[str, str] = {
            **self.tables,
            **self.buckets,
            # Photos: served by the gateway under /photos/ (as the distribution does), upload forms posted to it.
            "PHOTOS_URL": self.url,
            "PHOTOS_UPLOAD_URL": f"{self.url}{UPLOAD_PATH}",
            "AWS_ENDPOINT_URL_S3": self.moto_url,
            "USER_POOL_ID": self.user_pool_id,
            "USER_POOL_CLIENT_ID": self.client_id,
            "COGNITO_ENDPOINT": self.cognito_endpoint,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ENDPOINT_URL_DYNAMODB": self.moto_url,
            "AWS_ENDPOINT_URL_COGNITO_IDP": self.moto_url,
            "ALLOWED_ORIGIN": self.url,
            # The MCP function's metadata names this stack's URL and its token endpoint's issuer.
            "PUBLIC_API_URL": self.url,
            "OAUTH_AUTHORIZATION_SERVER": self.url,
        }
        if self.agent is not None:
            env["AGENT_CLIENT_IDS"] = self.agent.client_id
            env["OAUTH_RESOURCE_SERVER"] = self.agent.resource_server
        faults = throttled_operations(os.environ.get("PETSTORE_DEV_FAULTS"))
        if faults:
            self._faults = ThrottlingProxy(self.moto_url, faults)
            env["AWS_ENDPOINT_URL_DYNAMODB"] = self._faults.url
            self.throttled_operations = faults
        if self.real_credentials:
            self.bedrock_model_id = os.environ.get("PETSTORE_BEDROCK_MODEL_ID", DEFAULT_BEDROCK_MODEL)
        else:
            env.update(DUMMY_CREDENTIALS)
            self.bedrock_model_id = ""
        env["BEDROCK_MODEL_ID"] = self.bedrock_model_id
        defaults = {
            "POWERTOOLS_SERVICE_NAME": "petstore",
            "POWERTOOLS_METRICS_NAMESPACE": "PetStore",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
        for key, value in defaults.items():
            if key not in os.environ:
                env[key] = value
        for key, value in env.items():
            self._setenv(key, value)
        if not self.real_credentials and "AWS_PROFILE" in os.environ:
            self._saved_env.setdefault("AWS_PROFILE", os.environ.get("AWS_PROFILE"))
            del os.environ["AWS_PROFILE"]

    def _start_sweeper(self) -> None:
        """What the template's schedule does in AWS: the reservation sweeper, every `sweep_seconds`."""
        if self.sweep_seconds <= 0:
            return
        from .gateway import LambdaRuntime

        lambda_dir = str(LAMBDA_DIR)
        if lambda_dir not in sys.path:
            sys.path.insert(0, lambda_dir)
        already = "sweeper" in sys.modules
        import sweeper

        if already:  # imported earlier in this process: rebind it to this stack's resources
            from petstore.api.container import Container

            sweeper.container = Container()
        runtime = LambdaRuntime(sweeper.lambda_handler)
        event = {"source": "petstore-dev", "detail-type": "Scheduled Event", "detail": {}}

        def sweep() -> None:
            while not self._stop_sweeping.wait(self.sweep_seconds):
                try:
                    runtime(dict(event))
                except Exception as exc:  # noqa: BLE001 - a failed sweep is logged and the next one tries again
                    print(f"petstore-dev: reservation sweep failed: {exc}", file=sys.stderr, flush=True)

        self._stop_sweeping.clear()
        self._sweeper = threading.Thread(target=sweep, name="petstore-sweeper", daemon=True)
        self._sweeper.start()

    def _load_handler(self) -> Any:
        """Import the Lambda handler from lambda/ (after the environment is set, as Lambda would)."""
        lambda_dir = str(LAMBDA_DIR)
        if lambda_dir not in sys.path:
            sys.path.insert(0, lambda_dir)
        import warnings

        warnings.filterwarnings("ignore", message="No application metrics to publish")
        already = "app" in sys.modules
        import app

        if already:  # imported earlier in this process: rebind it to this stack's resources
            from petstore.api.container import Container
            from petstore.api.rest import build_resolver
            from petstore.store import aws

            aws.client.cache_clear()
            app.container = Container()
            app.resolver = build_resolver(app.container)
        return app.lambda_handler

    def _mcp_handler(self) -> Any:
        """A handler that imports the MCP function on its first request (its cold start, as in Lambda)."""
        loaded: list[Any] = []

        def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
            if not loaded:
                already = "mcp_app" in sys.modules
                import mcp_app

                if already:  # imported earlier in this process: rebind it to this stack's resources
                    from mcp_tools.core_backend import CoreBackend
                    from mcp_tools.declarations import build_server
                    from mcp_tools.tokens import CognitoTokens
                    from petstore.api.container import Container

                    mcp_app.container = Container()
                    mcp_app.server = build_server(CoreBackend(mcp_app.container))
                    mcp_app.tokens = CognitoTokens.from_env()
                loaded.append(mcp_app.lambda_handler)
            return loaded[0](event, context)

        return handle

    def _photo_processor(self) -> Any:
        """The handler template.yaml subscribes to the photos bucket's ObjectCreated events, and its key prefix."""
        import importlib

        from .template import s3_event_functions

        [subscription] = [found for found in s3_event_functions() if found["bucket"] == "PhotosBucket"]
        module_name, _, function = subscription["handler"].rpartition(".")
        already = module_name in sys.modules
        module = importlib.import_module(module_name)
        if already:  # imported earlier in this process: rebind it to this stack's resources
            from petstore.api.container import Container

            module.container = Container()
        return getattr(module, function), subscription["prefix"]

    def _start_gateway(self) -> None:
        from werkzeug.serving import make_server

        from .authorizer import CognitoAuthorizer
        from .gateway import Gateway, LambdaRuntime, request_handler
        from .password_reset import PasswordResets

        self.runtime = LambdaRuntime(self._load_handler())
        self.authorizer = CognitoAuthorizer(
            region=self.region, user_pool_id=self.user_pool_id, client_id=self.client_id,
            jwks_url=f"{self.moto_url}/{self.user_pool_id}/.well-known/jwks.json",
        )
        from mcp_tools.routes import MCP_PATH, METADATA_PATH

        from .agents import AUTHORIZATION_SERVER_METADATA_PATH, TOKEN_PATH, TokenEndpoint

        self.mcp_runtime = LambdaRuntime(self._mcp_handler())
        from .photos import LocalPhotos

        processor, prefix = self._photo_processor()
        self.photo_runtime = LambdaRuntime(processor)
        self.photos = LocalPhotos(self._aws_client("s3"), self.buckets["PHOTOS_BUCKET"], self.region, self.photo_runtime,
                                  credentials=_signing_credentials, prefix=prefix)
        self.token_endpoint = TokenEndpoint(self._cognito, region=self.region, user_pool_id=self.user_pool_id,
                                            issuer_url=self.url)
        gateway = Gateway(
            invoke=self.runtime, authorize=self.authorizer.authorize, allowed_origin=self.url,
            cognito_upstream=self.moto_url, frontend_dir=self.frontend_dir, stage=STAGE,
            functions={MCP_PATH: self.mcp_runtime, METADATA_PATH: self.mcp_runtime},
            local_routes={TOKEN_PATH: self.token_endpoint,
                          AUTHORIZATION_SERVER_METADATA_PATH: self.token_endpoint.metadata},
            password_resets=PasswordResets(self._cognito, self.user_pool_id, announce=_announce),
            page_config=self._page_config(),
            photos=self.photos,
        )
        assert self._socket is not None
        self._server = make_server(self.host, self.port, gateway, threaded=True,
                                   request_handler=request_handler(self.quiet), fd=self._socket.fileno())
        self._socket.close()  # the server holds its own duplicate of the listening socket
        self._socket = None
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="petstore-gateway", daemon=True)
        self._thread.start()

    def _page_config(self) -> dict[str, Any]:
        """config.json for the page: the emulator doesn't check SRP proofs, so the page sends the password to
        it (USER_PASSWORD_AUTH); the demo logins are shown on the sign-in form of this stack only."""
        return {
            "authFlow": "USER_PASSWORD_AUTH",
            "demoLogins": [{"email": user.email, "password": user.password, "role": "staff" if user.is_admin else "shopper"}
                           for user in self.users.values()],
        }

    def _seed(self) -> None:
        """Add the sample inventory through the real handler, as the admin, with a real ID token."""
        from .events import rest_event

        admin = self.users["admin"]
        tokens = self._cognito.initiate_auth(
            AuthFlow="USER_PASSWORD_AUTH", ClientId=self.client_id,
            AuthParameters={"USERNAME": admin.email, "PASSWORD": admin.password},
        )["AuthenticationResult"]
        claims = self.authorizer.authorize(tokens["IdToken"])
        if claims is None:
            raise StackError("the local authorizer rejected the admin's ID token")
        photos: list[tuple[str, bytes]] = []
        for pet in load_sample_pets():
            event = rest_event("POST", "/pets", headers={"Content-Type": "application/json"},
                               body=json.dumps(pet), claims=claims, stage=STAGE)
            result = self.runtime(event)
            if result.get("statusCode") != 201:
                raise StackError(f"seeding {pet.get('name')!r} failed: {result.get('statusCode')} {result.get('body')}")
            self.seeded += 1
            photo = SAMPLE_PHOTOS / f"{pet['name'].lower()}.jpg"
            if photo.is_file():
                photos.append((json.loads(result["body"])["id"], photo.read_bytes()))
        # Several at once, as S3 events of several uploads run in as many execution environments.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="seed-photos") as pool:
            list(pool.map(lambda found: self._seed_photo(*found, claims), photos))

    def _seed_photo(self, pet_id: str, data: bytes, claims: dict[str, str]) -> None:
        """A sample photo, the way the page adds one: a form from the API, the upload checked as S3 checks it, the
        processor's event (here at once, so the photo is there when the stack says ready)."""
        from .events import rest_event
        from .gateway import _Context

        event = rest_event("POST", f"/pets/{pet_id}/photos", headers={"Content-Type": "application/json"},
                           body=json.dumps({"content_type": "image/jpeg"}), claims=claims, stage=STAGE)
        result = self.runtime(event)
        if result.get("statusCode") != 201:
            raise StackError(f"seeding a photo failed: {result.get('statusCode')} {result.get('body')}")
        fields = {name.lower(): value for name, value in json.loads(result["body"])["upload"]["fields"].items()}
        key = self.photos.store(fields, data)
        self.photo_runtime.handler(self.photos.event(key, len(data)), _Context())
        self.seeded_photos += 1

    @property
    def admin(self) -> DemoUser:
        return self.users["admin"]

    @property
    def user(self) -> DemoUser:
        return self.users["user"]


def _signing_credentials() -> tuple[str, str]:
    """(access key, secret) the handler signs upload forms with: the same chain boto3 reads in this process."""
    import boto3

    frozen = boto3.session.Session().get_credentials().get_frozen_credentials()
    return frozen.access_key, frozen.secret_key


# ---------------------------------------------------------------------- as a child process
_URL = re.compile(r"https?://[^\s)]+")
_SEEDED = re.compile(r"(\d+) sample pets")
_AGENT = re.compile(r"client id (\S+) / secret (\S+)")
_EMULATOR = re.compile(r"Emulator:\s+(http://[^\s)]+)")


class StackProcess:
    """`petstore-dev` in a child process (its own environment, so nothing leaks into the caller's)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        seed: bool = True,
        password: str | None = None,
        env: dict[str, str] | None = None,
        startup_timeout: float = 90,
    ) -> None:
        self.host = host
        self.port = port
        self.seed = seed
        self.users: dict[str, DemoUser] = demo_users(password)
        self.extra_env = env or {}
        self.startup_timeout = startup_timeout
        self.url = ""
        self.cognito_endpoint = ""
        self.emulator_url = ""
        self.user_pool_id = ""
        self.client_id = ""
        self.region = ""
        self.seeded = 0
        self.agent_client_id = ""
        self.agent_client_secret = ""
        self.process: subprocess.Popen[str] | None = None
        self._lines: deque[str] = deque(maxlen=2000)
        self._ready = threading.Event()
        self._reader: threading.Thread | None = None

    @property
    def admin(self) -> DemoUser:
        return self.users["admin"]

    @property
    def user(self) -> DemoUser:
        return self.users["user"]

    def output(self) -> str:
        """What the process printed so far (the last 2000 lines)."""
        return "\n".join(self._lines)

    def start(self) -> StackProcess:
        env = {**os.environ, **self.extra_env, "PYTHONUNBUFFERED": "1",
               "PETSTORE_DEMO_PASSWORD": self.users["admin"].password}
        command = [sys.executable, "-m", "petstore_dev", "--host", self.host, "--port", str(self.port)]
        if not self.seed:
            command.append("--no-seed")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env=env, cwd=str(ROOT), bufsize=1)
        self._reader = threading.Thread(target=self._read, name="petstore-dev-output", daemon=True)
        self._reader.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._ready.wait(0.05):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise StackError(f"petstore-dev did not get ready:\n{self.output()}")
        ready_line = next(line for line in self._lines if "ready" in line)
        found = _URL.search(ready_line)
        if not found:
            self.stop()
            raise StackError(f"no URL in the ready line: {ready_line!r}")
        self.url = found.group(0).rstrip("/.")
        self.port = int(self.url.rsplit(":", 1)[1])
        seeded = next((m for m in map(_SEEDED.search, self._lines) if m), None)
        self.seeded = int(seeded.group(1)) if seeded else 0
        agent = next((m for m in map(_AGENT.search, self._lines) if m), None)
        if agent:
            self.agent_client_id, self.agent_client_secret = agent.groups()
        emulator = next((m for m in map(_EMULATOR.search, self._lines) if m), None)
        self.emulator_url = emulator.group(1) if emulator else ""
        with urlopen(f"{self.url}/config", timeout=10) as response:
            config = json.load(response)
        self.cognito_endpoint = config["cognitoEndpoint"]
        self.user_pool_id = config["userPoolId"]
        self.client_id = config["clientId"]
        self.region = config["region"]
        return self

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.append(line.rstrip("\n"))
            if "ready" in line:
                self._ready.set()

    def stop(self, timeout: float = 15) -> int | None:
        """SIGTERM, then wait; returns the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._reader is not None:
            self._reader.join(timeout=5)
        return self.process.returncode

    def __enter__(self) -> StackProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---------------------------------------------------------------------- signing in like the page
class SignInError(RuntimeError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


def cognito_call(endpoint: str, action: str, payload: dict[str, Any], origin: str | None = None) -> dict[str, Any]:
    """One call to Cognito's JSON API, made as a browser makes it (unsigned, x-amz-json-1.1)."""
    headers = {"Content-Type": "application/x-amz-json-1.1",
               "X-Amz-Target": f"AWSCognitoIdentityProviderService.{action}"}
    if origin:
        headers["Origin"] = origin
    request = urllib.request.Request(endpoint, data=json.dumps(payload).encode(), headers=headers, method="POST")
    try:
        with urlopen(request, timeout=15) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        try:
            error = json.loads(exc.read() or b"{}")
        except ValueError:
            error = {}
        code = str(error.get("__type") or exc.code).rsplit("#", 1)[-1]
        raise SignInError(code, str(error.get("message") or error.get("Message") or exc.reason)) from None


def stack_config(stack_url: str) -> dict[str, Any]:
    with urlopen(f"{stack_url.rstrip('/')}/config", timeout=10) as response:
        return json.load(response)


def sign_in(stack_url: str, email: str, password: str) -> dict[str, Any]:
    """Sign in as the page does: GET /config, then InitiateAuth (USER_PASSWORD_AUTH) at `cognitoEndpoint`.

    Returns Cognito's AuthenticationResult: IdToken, AccessToken, RefreshToken, ExpiresIn, TokenType.
    """
    config = stack_config(stack_url)
    endpoint = config.get("cognitoEndpoint") or f"https://cognito-idp.{config['region']}.amazonaws.com/"
    answer = cognito_call(endpoint, "InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": config["clientId"],
        "AuthParameters": {"USERNAME": email, "PASSWORD": password},
    }, origin=stack_url.rstrip("/"))
    if "AuthenticationResult" not in answer:
        raise SignInError(answer.get("ChallengeName", "Challenge"), "Cognito asks for a challenge first")
    return answer["AuthenticationResult"]
