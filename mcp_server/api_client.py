"""A small client of the PetStore HTTP API on `requests`, signed in through Cognito.

- Base URL from `PETSTORE_API_URL` (default http://127.0.0.1:3000). Credentials, the first set present:
  `PETSTORE_TOKEN` (a token used as given), `PETSTORE_CLIENT_ID` / `PETSTORE_CLIENT_SECRET` (an agent: the
  OAuth client-credentials grant, `PETSTORE_SCOPES` optional), `PETSTORE_USERNAME` / `PETSTORE_PASSWORD` (a
  person, through Cognito). Nothing touches the network until the first call, so a server built on this
  client starts while the API is down, and a bad setting is a clear error on that call.
- A person's Cognito settings come from the API's `GET /config`; sign-in is USER_PASSWORD_AUTH, renewal
  REFRESH_TOKEN_AUTH a minute before the ID token expires, and once more after a 401. An agent's token
  endpoint comes from `PETSTORE_TOKEN_URL` or the API's OAuth metadata. Where a password or a client
  secret may be sent is `trust.py`'s decision, not the API's documents'.
- Every request has a timeout. Safe calls (GET, POST /pets/query), creates (which carry an
  `Idempotency-Key` kept across their own retries), reservations and adoptions (idempotent in the API) are
  retried with backoff on 429/5xx and on connection failures, honouring `Retry-After`. Updates, deletes
  and cancels are sent once.
- Failures raise `ApiError` (an HTTP answer other than 2xx, carrying its status and the API's message),
  `ApiUnavailable` (no answer) or `SignInError` (Cognito refused or is unreachable).
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from mcp_tools.backend import error_text

from . import trust

if TYPE_CHECKING:  # pragma: no cover
    import requests

    from petstore.models import PetCreate, PetListParams, PetPatch, QueryRequest

DEFAULT_API_URL = "http://127.0.0.1:3000"
DEFAULT_TIMEOUT = (3.05, 30.0)  # (connect, read) seconds; a natural-language query may wait on Bedrock
REFRESH_MARGIN = 60.0  # renew the ID token this many seconds before it expires
MAX_RETRY_WAIT = 20.0  # never sleep longer than this for one Retry-After
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
COGNITO_TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"
_NO_PROXY = {"http": None, "https": None, "all": None}  # overrides any proxy from the environment


class PetStoreClientError(Exception):
    """Anything that kept a call from getting an answer from the API."""


class ApiError(PetStoreClientError):
    """The API answered with an error status. `str()` reads like '403 Forbidden: Only members of ...'."""

    def __init__(self, status: int, message: str, code: str | None = None, details: Any = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        super().__init__(self._text())

    def _text(self) -> str:
        return error_text(self.status, self.message, self.details)


class ApiUnavailable(PetStoreClientError):
    """No HTTP answer: connection refused, DNS failure, timeout."""


class SignInError(PetStoreClientError):
    """Cognito would not sign the configured user in (or is unreachable, or no credentials are set)."""


class ConfigurationError(PetStoreClientError):
    """A setting (PETSTORE_API_URL, ...) is unusable; nothing was sent."""


class PetStoreClient:
    """Thread-safe: the MCP server calls it from worker threads."""

    def __init__(
        self,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        *,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str | None = None,
        scopes: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        backoff: float = 0.25,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = (base_url or DEFAULT_API_URL).strip().rstrip("/")
        try:
            self._api: trust.Url | None = trust.parse(self.base_url, "PETSTORE_API_URL")
            self._url_problem: str | None = None
        except trust.UntrustedUrl as exc:
            self._api, self._url_problem = None, str(exc)
        self.username = username
        self.password = password
        self.token = token.strip() if token else None
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url
        self.scopes = scopes
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self._session = session
        self._lock = threading.RLock()  # guards the token and the lazily made session
        self._config: dict[str, Any] | None = None
        self._id_token: str | None = None
        self._refresh_token: str | None = None
        self._expires_at = 0.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **kwargs: Any) -> PetStoreClient:
        env = os.environ if environ is None else environ
        return cls(
            env.get("PETSTORE_API_URL") or DEFAULT_API_URL,
            env.get("PETSTORE_USERNAME") or None,
            env.get("PETSTORE_PASSWORD") or None,
            token=env.get("PETSTORE_TOKEN") or None,
            client_id=env.get("PETSTORE_CLIENT_ID") or None,
            client_secret=env.get("PETSTORE_CLIENT_SECRET") or None,
            token_url=env.get("PETSTORE_TOKEN_URL") or None,
            scopes=env.get("PETSTORE_SCOPES") or None,
            **kwargs,
        )

    @property
    def shown_url(self) -> str:
        return trust.shown(self.base_url)

    @property
    def is_agent(self) -> bool:
        """Signed in as an agent (an access token): the API's REST routes take ID tokens only, `/mcp` takes both."""
        if self.token:
            return _token_use(self.token) == "access"
        return bool(self.client_id and self.client_secret)

    def api(self) -> trust.Url:
        if self._api is None:
            raise ConfigurationError(self._url_problem or "PETSTORE_API_URL is not usable.")
        return self._api

    def bearer(self, force: bool = False) -> str:
        """The token to send (signing in or renewing as needed)."""
        self.api()
        return self._token(force=force)

    # ---- the API's operations; each returns the decoded JSON body -------------------------------------

    def list_pets(self, params: PetListParams) -> dict[str, Any]:
        query = params.model_dump(mode="json", exclude_none=True)
        return self._call("GET", "/pets", params=query)

    def get_pet(self, pet_id: str) -> dict[str, Any]:
        return self._call("GET", _pet_path(pet_id))

    def query_pets(self, request: QueryRequest) -> dict[str, Any]:
        # A query changes nothing in the store, so it is retried like a GET.
        return self._call("POST", "/pets/query", json=request.model_dump(mode="json", exclude_none=True), retry=True)

    def create_pet(self, pet: PetCreate, idempotency_key: str | None = None) -> dict[str, Any]:
        key = idempotency_key or str(uuid.uuid4())
        return self._call(
            "POST", "/pets", json=pet.model_dump(mode="json"), headers={"Idempotency-Key": key}, retry=True,
            retry_statuses=RETRY_STATUSES | {409},  # 409: our own earlier attempt with this key is still in flight
        )

    def update_pet(self, pet_id: str, patch: PetPatch, expected_version: int | None = None) -> dict[str, Any]:
        headers = {"If-Match": f'"{expected_version}"'} if expected_version is not None else None
        return self._call("PATCH", _pet_path(pet_id), json=patch.changes(), headers=headers, retry=False)

    def delete_pet(self, pet_id: str, expected_version: int | None = None) -> None:
        headers = {"If-Match": f'"{expected_version}"'} if expected_version is not None else None
        self._call("DELETE", _pet_path(pet_id), headers=headers, retry=False)

    # Reserving and confirming an adoption are idempotent in the API (a retry answers the same reservation, the
    # adopted pet): retried like reads. A cancel is sent once, as deletes are.
    def reserve_pet(self, pet_id: str, expected_version: int | None = None) -> dict[str, Any]:
        return self._call("POST", _pet_path(pet_id) + "/reservation", headers=_if_match(expected_version), retry=True)

    def cancel_reservation(self, pet_id: str, expected_version: int | None = None) -> None:
        self._call("DELETE", _pet_path(pet_id) + "/reservation", headers=_if_match(expected_version), retry=False)

    def confirm_adoption(self, pet_id: str, expected_version: int | None = None) -> dict[str, Any]:
        return self._call("POST", _pet_path(pet_id) + "/adoption", headers=_if_match(expected_version), retry=True)

    def my_reservations(self) -> dict[str, Any]:
        return self._call("GET", "/me/reservations")

    def config(self) -> dict[str, Any]:
        """`GET /config` (no auth), fetched once."""
        if self._config is None:
            config = self._call("GET", "/config", auth=False)
            if not isinstance(config, dict):
                raise ApiError(502, "GET /config did not answer with a JSON object.")
            self._config = config
        return self._config

    # ---- HTTP ---------------------------------------------------------------------------------------

    @property
    def session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                import requests

                session = requests.Session()
                session.headers.update({"Accept": "application/json", "User-Agent": "petstore-mcp"})
                self._session = session
            return self._session

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
        retry: bool | None = None,
        retry_statuses: frozenset[int] = RETRY_STATUSES,
    ) -> Any:
        retry = method == "GET" if retry is None else retry
        url = self.api().text.rstrip("/") + path
        refreshed = False
        attempt = 0
        while True:
            request_headers = dict(headers or {})
            if auth:
                request_headers["Authorization"] = self._token()
            response = self._send(method, url, params=params, json=json, headers=request_headers, retry=retry, attempt=attempt)
            if response is None:  # a connection failure that may be retried
                attempt += 1
                continue
            if response.status_code == 401 and auth and not refreshed and not self.token:
                # The token may have been revoked or expired early: renew it once and resend.
                refreshed = True
                self._token(force=True)
                continue
            if retry and response.status_code in retry_statuses and attempt < self.max_retries:
                self._sleep(attempt, response.headers.get("Retry-After"))
                attempt += 1
                continue
            return _decode(response, method, path)

    def _send(self, method: str, url: str, *, retry: bool, attempt: int, **kwargs: Any) -> requests.Response | None:
        import requests

        try:
            return self.session.request(method, url, timeout=self.timeout, proxies=_proxies(url), **kwargs)
        except requests.RequestException as exc:
            if retry and attempt < self.max_retries and isinstance(exc, (requests.ConnectionError, requests.Timeout)):
                self._sleep(attempt, None)
                return None
            raise ApiUnavailable(_unavailable_message(self.shown_url, method, exc, changes=not retry)) from exc

    def _sleep(self, attempt: int, retry_after: str | None) -> None:
        wait = self.backoff * (2**attempt) * (0.5 + random.random())
        hinted = _retry_after_seconds(retry_after)
        if hinted is not None:
            wait = max(wait, hinted)
        time.sleep(min(wait, MAX_RETRY_WAIT))

    # ---- Cognito ------------------------------------------------------------------------------------

    def _token(self, force: bool = False) -> str:
        with self._lock:
            if self.token:
                return self.token  # given as is: never renewed
            if self._id_token and not force and time.monotonic() < self._expires_at - REFRESH_MARGIN:
                return self._id_token
            if self.client_id and self.client_secret:
                self._client_credentials()
                assert self._id_token
                return self._id_token
            if self._refresh_token:
                try:
                    self._initiate_auth("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": self._refresh_token})
                    assert self._id_token
                    return self._id_token
                except SignInError:
                    self._refresh_token = None  # expired or revoked: sign in again with the password
            if not self.username or not self.password:
                raise SignInError(
                    "No credentials: set PETSTORE_USERNAME and PETSTORE_PASSWORD to a user of the pet store's "
                    "Cognito user pool, PETSTORE_CLIENT_ID and PETSTORE_CLIENT_SECRET to an agent's app client, or "
                    "PETSTORE_TOKEN (the API accepts only signed-in callers)."
                )
            self._initiate_auth("USER_PASSWORD_AUTH", {"USERNAME": self.username, "PASSWORD": self.password})
            assert self._id_token
            return self._id_token

    def _initiate_auth(self, flow: str, parameters: dict[str, str]) -> None:
        import requests

        config = self.config()
        client_id = config.get("clientId")
        if not client_id or not isinstance(client_id, str):
            raise SignInError(f"GET {self.shown_url}/config names no Cognito app client; cannot sign in.")
        try:
            endpoint = trust.cognito_endpoint(config, self.api())
        except trust.UntrustedUrl as exc:
            raise SignInError(f"Not signing in: {exc}") from None
        body = {"AuthFlow": flow, "ClientId": client_id, "AuthParameters": parameters}
        headers = {"X-Amz-Target": COGNITO_TARGET, "Content-Type": "application/x-amz-json-1.1"}
        attempt = 0
        while True:
            try:
                response = self.session.post(endpoint, json=body, headers=headers, timeout=self.timeout,
                                             proxies=_proxies(endpoint))
            except requests.RequestException as exc:
                if attempt < self.max_retries and isinstance(exc, requests.ConnectionError):
                    self._sleep(attempt, None)
                    attempt += 1
                    continue
                raise SignInError(f"Could not reach Cognito at {trust.shown(endpoint)} to sign in: {_reason(exc)}") from exc
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                self._sleep(attempt, response.headers.get("Retry-After"))
                attempt += 1
                continue
            break
        data = _json(response)
        if response.status_code != 200:
            kind = str((data or {}).get("__type", "")).rsplit("#", 1)[-1] or f"HTTP {response.status_code}"
            message = (data or {}).get("message") or (data or {}).get("Message") or response.reason
            who = f" as {self.username}" if flow == "USER_PASSWORD_AUTH" else ""
            raise SignInError(f"Cognito refused the sign-in{who}: {kind}: {message}")
        result = (data or {}).get("AuthenticationResult") or {}
        if not result.get("IdToken"):
            challenge = (data or {}).get("ChallengeName")
            raise SignInError(
                f"Cognito asked for the challenge {challenge!r} instead of signing in; finish it once in the web page."
                if challenge else "Cognito answered without an ID token."
            )
        self._id_token = result["IdToken"]
        self._refresh_token = result.get("RefreshToken") or self._refresh_token
        self._expires_at = time.monotonic() + float(result.get("ExpiresIn") or 3600)

    # ---- OAuth client credentials (an agent) ----------------------------------------------------------

    def _token_endpoint(self) -> str:
        """PETSTORE_TOKEN_URL, else the API's protected-resource metadata -> its authorization server's metadata."""
        api = self.api()
        try:
            if self.token_url:
                return trust.token_endpoint(self.token_url, api, named_by_user=True)
            resource = self._call("GET", "/.well-known/oauth-protected-resource", auth=False)
            servers = resource.get("authorization_servers") if isinstance(resource, dict) else None
            if not servers or not isinstance(servers[0], str):
                raise SignInError(f"GET {self.shown_url}/.well-known/oauth-protected-resource names no authorization server.")
            server = trust.parse(servers[0], "The authorization server").text.rstrip("/")
            for document in (f"{server}/.well-known/oauth-authorization-server", f"{server}/.well-known/openid-configuration"):
                try:
                    response = self.session.get(document, timeout=self.timeout, proxies=_proxies(document))
                except requests_exceptions() as exc:
                    raise SignInError(f"Could not read {trust.shown(document)}: {_reason(exc)}") from exc
                data = _json(response) if response.status_code == 200 else None
                if isinstance(data, dict) and data.get("token_endpoint"):
                    return trust.token_endpoint(data["token_endpoint"], api)
            raise SignInError(f"The authorization server {trust.shown(server)} publishes no token endpoint; set PETSTORE_TOKEN_URL.")
        except trust.UntrustedUrl as exc:
            raise SignInError(f"Not signing in: {exc}") from None

    def _client_credentials(self) -> None:
        from urllib.parse import quote as form_quote

        endpoint = self._token_endpoint()
        data = {"grant_type": "client_credentials", **({"scope": self.scopes} if self.scopes else {})}
        basic = (form_quote(self.client_id or "", safe=""), form_quote(self.client_secret or "", safe=""))
        attempt = 0
        while True:
            try:
                response = self.session.post(endpoint, data=data, auth=basic, timeout=self.timeout, proxies=_proxies(endpoint))
            except requests_exceptions() as exc:
                if attempt < self.max_retries and not isinstance(exc, _timeout()):
                    self._sleep(attempt, None)
                    attempt += 1
                    continue
                raise SignInError(f"Could not reach the token endpoint {trust.shown(endpoint)}: {_reason(exc)}") from exc
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                self._sleep(attempt, response.headers.get("Retry-After"))
                attempt += 1
                continue
            break
        body = _json(response) or {}
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            error = body.get("error") if isinstance(body, dict) else None
            raise SignInError(f"The token endpoint refused client {self.client_id}: {error or f'HTTP {response.status_code}'}")
        self._id_token = str(body["access_token"])
        self._expires_at = time.monotonic() + float(body.get("expires_in") or 3600)


def requests_exceptions() -> type[Exception]:
    import requests

    return requests.RequestException


def _timeout() -> type[Exception]:
    import requests

    return requests.Timeout


def _token_use(token: str) -> str | None:
    """The `token_use` claim of a Cognito JWT, read without verifying (only to pick the route to send it to)."""
    import base64
    import json

    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return None
    return claims.get("token_use") if isinstance(claims, dict) else None


def _proxies(url: str) -> dict[str, None] | None:
    """Loopback addresses (the local stack) never go through an HTTP proxy configured in the environment."""
    host = (urlsplit(url).hostname or "").lower()
    return _NO_PROXY if host in ("localhost", "::1") or host.startswith("127.") else None


def _pet_path(pet_id: str) -> str:
    return "/pets/" + quote(pet_id, safe="")


def _if_match(expected_version: int | None) -> dict[str, str] | None:
    return {"If-Match": f'"{expected_version}"'} if expected_version is not None else None


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _decode(response: requests.Response, method: str, path: str) -> Any:
    status = response.status_code
    if 200 <= status < 300:
        if status == 204 or not response.content:
            return None
        data = _json(response)
        if data is None:
            raise ApiError(502, f"{method} {path} answered {status} with a body that is not JSON.")
        return data
    data = _json(response)
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        message = str(error.get("message") or response.reason or "")
        return_details = error.get("details")
        raise ApiError(status, message, code=error.get("code"), details=return_details)
    if isinstance(data, dict) and data.get("message"):  # API Gateway's own answers: {"message": "Unauthorized"}
        raise ApiError(status, str(data["message"]))
    text = (response.text or "").strip()[:200] or response.reason or "no details"
    raise ApiError(status, text)


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _reason(exc: Exception) -> str:
    import requests

    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return type(exc).__name__


def _unavailable_message(base_url: str, method: str, exc: Exception, *, changes: bool) -> str:
    import requests

    if isinstance(exc, requests.Timeout) and changes and not isinstance(exc, requests.ConnectTimeout):
        return (f"The pet store API at {base_url} did not answer in time; the {method} may or may not have "
                "been applied. Read the pet again before retrying.")
    return (f"The pet store API at {base_url} is unreachable ({_reason(exc)}). Check that it is running "
            "and that PETSTORE_API_URL points at it.")
