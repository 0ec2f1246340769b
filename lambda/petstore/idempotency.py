"""Idempotent creates with Powertools' idempotency utility, on its own DynamoDB table (TTL `expiration`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import Conflict, Throttled, ValidationFailed
from .store.aws import THROTTLING_CODES, client, error_code

KEY_TTL_SECONDS = 24 * 3600


class IdempotencyKeyReused(ValidationFailed):
    """422, as the IETF Idempotency-Key draft has it: the key is known, the body is not the one it was used with.
    (409 is for a key whose first request is still in progress.)"""

    code = "IdempotencyKeyReused"


class PowertoolsCreateGuard:
    def __init__(self, table_name: str, dynamodb: Any | None = None) -> None:
        self._table = table_name
        self._client = dynamodb
        self._wrapped: Callable[..., dict[str, Any]] | None = None
        self._config: Any = None
        self._context: Any = None

    def use_lambda_context(self, context: Any) -> None:
        """Lets an interrupted create's in-progress record expire with the invocation, not after a day."""
        self._context = context
        if self._config is not None and hasattr(context, "get_remaining_time_in_millis"):
            self._config.register_lambda_context(context)

    def _build(self) -> Callable[..., dict[str, Any]]:
        # Imported on first use: the utility costs import time a cold GET should not pay.
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )

        persistence = DynamoDBPersistenceLayer(table_name=self._table, boto3_client=self._client or client("dynamodb"))
        config = IdempotencyConfig(
            event_key_jmespath="key",
            payload_validation_jmespath="payload",
            expires_after_seconds=KEY_TTL_SECONDS,
            raise_on_no_idempotency_key=True,
        )
        self._config = config
        if self._context is not None:
            self.use_lambda_context(self._context)

        @idempotent_function(data_keyword_argument="request", persistence_store=persistence, config=config,
                             key_prefix="create_pet")
        def run(request: dict[str, Any], create: Callable[[], dict[str, Any]]) -> dict[str, Any]:
            return create()

        return run

    def __call__(self, key: str, payload: dict[str, Any], create: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyPersistenceLayerError,
            IdempotencyValidationError,
        )

        if self._wrapped is None:
            self._wrapped = self._build()
        made: list[dict[str, Any]] = []

        def create_once() -> dict[str, Any]:
            made.append(create())
            return made[-1]

        try:
            return self._wrapped(request={"key": key, "payload": payload}, create=create_once)
        except IdempotencyValidationError as exc:
            raise IdempotencyKeyReused(
                "This Idempotency-Key was already used with a different body; use a new key for a new pet."
            ) from exc
        except IdempotencyAlreadyInProgressError as exc:
            raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.", retry_after=1) from exc
        except IdempotencyPersistenceLayerError as exc:
            if made:
                # The pet is written; only the key's record could not be completed. Answer with the pet: a retry
                # meets the record in progress (409) until it lapses, then finds this pet by its keyed id.
                return made[-1]
            cause = exc.__cause__ or (exc.args[1] if len(exc.args) > 1 else None)
            if isinstance(cause, Exception) and error_code(cause) in THROTTLING_CODES:
                raise Throttled("The store is busy; retry shortly.") from exc
            raise
