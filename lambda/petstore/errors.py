"""Domain errors. Each carries the HTTP status and error code the adapters report."""

from __future__ import annotations

from typing import Any


class PetStoreError(Exception):
    status = 500
    code = "InternalError"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers: dict[str, str] = {}

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.details}}


class BadRequest(PetStoreError):
    status = 400
    code = "BadRequest"


class Unauthorized(PetStoreError):
    status = 401
    code = "Unauthorized"


class Forbidden(PetStoreError):
    status = 403
    code = "Forbidden"


class NotFound(PetStoreError):
    status = 404
    code = "NotFound"


class MethodNotAllowed(PetStoreError):
    status = 405
    code = "MethodNotAllowed"


class Conflict(PetStoreError):
    status = 409
    code = "Conflict"

    def __init__(self, message: str, retry_after: int | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        if retry_after is not None:  # a conflict that passes by itself (a request still in progress)
            self.headers = {"Retry-After": str(retry_after)}


class PreconditionFailed(PetStoreError):
    status = 412
    code = "PreconditionFailed"


class PayloadTooLarge(PetStoreError):
    status = 413
    code = "PayloadTooLarge"


class ValidationFailed(PetStoreError):
    status = 422
    code = "ValidationError"


class Throttled(PetStoreError):
    status = 429
    code = "Throttled"

    def __init__(self, message: str, retry_after: int = 1, **details: Any) -> None:
        super().__init__(message, **details)
        self.headers = {"Retry-After": str(retry_after)}
