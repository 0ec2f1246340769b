#!/usr/bin/env python3
"""Write the page's index.html for a deployment: its Content-Security-Policy allows connections to the page's own
origin, the deployed API, Cognito's regional endpoint and the photos bucket (upload forms), and nowhere else; and
images from the page's origin (the distribution serves the photos under /photos/) or a photos URL given.

    python3 scripts/page_csp.py frontend/index.html out/index.html --api-url https://x.execute-api.eu-west-1.amazonaws.com/prod \
        --region eu-west-1 --upload-url https://petstore-photos-<id>.s3.eu-west-1.amazonaws.com [--photos-url https://...]

The index.html in the repository pins connect-src to 'self', which is right for the local stack (the API, Cognito's
JSON API, the upload path and the photos share the page's origin there).
"""

from __future__ import annotations

import argparse
import re
import sys
from urllib.parse import urlsplit

_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]+)(")')
_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")


def origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise ValueError(f"the URL must be https://host/... without credentials: {url!r}")
    return f"https://{parts.netloc}"


def with_sources(html: str, directive: str, sources: list[str]) -> str:
    """The page with `directive` (e.g. connect-src) allowing exactly `sources`."""
    found = _META.search(html)
    if not found:
        raise ValueError("no Content-Security-Policy meta tag in the page")
    directives = [part.strip() for part in found.group(2).split(";") if part.strip()]
    if not any(d.split()[0] == directive for d in directives):
        raise ValueError(f"the page's policy has no {directive}")
    directives = [f"{directive} {' '.join(sources)}" if d.split()[0] == directive else d for d in directives]
    return html[:found.start(2)] + "; ".join(directives) + html[found.end(2):]


def with_connect_sources(html: str, sources: list[str]) -> str:
    return with_sources(html, "connect-src", sources)


def current_sources(html: str, directive: str) -> list[str]:
    found = _META.search(html)
    for part in (found.group(2).split(";") if found else []):
        words = part.split()
        if words and words[0] == directive:
            return words[1:]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--upload-url", help="where the page posts photo upload forms (the stack's PhotosUploadUrl)")
    parser.add_argument("--photos-url", help="where photos are served, when not on the page's own origin")
    args = parser.parse_args(argv)
    try:
        if not _REGION.match(args.region):
            raise ValueError(f"not an AWS region: {args.region!r}")
        sources = ["'self'", origin(args.api_url), f"https://cognito-idp.{args.region}.amazonaws.com"]
        if args.upload_url:
            sources.append(origin(args.upload_url))
        with open(args.source, encoding="utf-8") as handle:
            html = with_connect_sources(handle.read(), list(dict.fromkeys(sources)))
        if args.photos_url:
            images = [*current_sources(html, "img-src"), origin(args.photos_url)]
            html = with_sources(html, "img-src", list(dict.fromkeys(images)))
    except (OSError, ValueError) as exc:
        print(f"page_csp: {exc}", file=sys.stderr)
        return 1
    with open(args.target, "w", encoding="utf-8") as handle:
        handle.write(html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
