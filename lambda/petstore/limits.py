"""Limits every adapter applies the same way."""

MAX_BODY_BYTES = 64 * 1024  # a request body larger than this is refused with 413
