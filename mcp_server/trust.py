"""Where `petstore-mcp` may send credentials, and how it names a URL in a message without leaking one.

The API's `GET /config` and its OAuth metadata are unauthenticated: whatever answers on the configured
API address writes them. So a password or client secret goes only to
- the API's own origin (the local stack serves Cognito at `<api>/cognito` and tokens at `<api>/oauth2/token`),
- `https://cognito-idp.<region>.amazonaws.com/` for a valid region (a password), or
  `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token` (a client secret),
- or a token endpoint the user named in `PETSTORE_TOKEN_URL`.
Nothing else, whatever the API's documents say; a URL carrying credentials is refused and never echoed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")
_COGNITO_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.auth\.([a-z0-9-]+)\.amazoncognito\.com$")
LOOPBACK = ("localhost", "::1")


class UntrustedUrl(ValueError):
    """A URL credentials must not be sent to (the message names it safely)."""


@dataclass(frozen=True)
class Url:
    text: str
    parts: SplitResult

    @property
    def origin(self) -> tuple[str, str, int]:
        default = 443 if self.parts.scheme == "https" else 80
        return self.parts.scheme, (self.parts.hostname or "").lower(), self.parts.port or default

    @property
    def is_loopback(self) -> bool:
        host = (self.parts.hostname or "").lower()
        return host in LOOPBACK or host.startswith("127.")


def shown(url: object) -> str:
    """A URL as it may appear in a message: no user, password, query or fragment; '<not a URL>' if it won't parse."""
    try:
        parts = urlsplit(str(url))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<not a valid URL>"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}{parts.path}" if parts.scheme and host else "<not a valid URL>"


def parse(url: object, what: str) -> Url:
    """An http(s) URL with a host and no credentials, or `UntrustedUrl` saying what is wrong (without echoing secrets)."""
    if not isinstance(url, str) or not url.strip():
        raise UntrustedUrl(f"{what} is not set to a URL.")
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise UntrustedUrl(f"{what} is not a valid URL ({exc}).") from None
    if parts.username is not None or parts.password is not None:
        raise UntrustedUrl(f"{what} must not carry a user name or password ({shown(text)}).")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UntrustedUrl(f"{what} must be an http:// or https:// URL with a host, not {shown(text)!r}.")
    return Url(text, parts)


def cognito_endpoint(config: dict[str, object], api: Url) -> str:
    """Where to send a sign-in (a password) according to `GET /config`, if that is a place it may go."""
    endpoint = config.get("cognitoEndpoint")
    if endpoint:
        url = parse(endpoint, "GET /config's cognitoEndpoint")
        if url.origin == api.origin:
            return url.text
        raise UntrustedUrl(
            f"GET {shown(api.text)}/config names a Cognito endpoint elsewhere ({shown(url.text)}); the password is "
            "sent only to the API's own origin or to https://cognito-idp.<region>.amazonaws.com/."
        )
    region = config.get("region")
    if not isinstance(region, str) or not REGION.match(region):
        raise UntrustedUrl(f"GET {shown(api.text)}/config names no valid AWS region, so there is no Cognito to sign in with.")
    return f"https://cognito-idp.{region}.amazonaws.com/"


def token_endpoint(candidate: object, api: Url, *, named_by_user: bool = False) -> str:
    """Where to send a client secret: the API's origin, a Cognito domain over https, or what the user named."""
    url = parse(candidate, "PETSTORE_TOKEN_URL" if named_by_user else "The authorization server's token_endpoint")
    if named_by_user and (url.parts.scheme == "https" or url.is_loopback):
        return url.text
    if url.origin == api.origin:
        return url.text
    if url.parts.scheme == "https" and _COGNITO_DOMAIN.match(url.parts.hostname or "") and url.parts.path == "/oauth2/token":
        return url.text
    raise UntrustedUrl(
        f"The token endpoint {shown(url.text)} is neither on the API's origin nor a Cognito domain over https; the "
        "client secret is not sent there (set PETSTORE_TOKEN_URL to name a token endpoint you trust)."
    )
