"""The composition root: builds the service and its adapters from the environment, once per container."""

from __future__ import annotations

import functools
import os
from datetime import datetime
from typing import TYPE_CHECKING

from ..clock import Clock, utc_now
from ..reservations import Lapses, ReservationPolicy, ReservationService
from ..service import PetService
from ..store.dynamodb import DynamoPetRepository, DynamoSessionStore

if TYPE_CHECKING:
    from ..photos.service import PhotoService
    from ..query_service import QueryService
    from ..rate_limit import RateLimiter


class Container:
    """Everything a request needs, created on first use so a cold start pays only for what it touches."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self._env = environ if environ is not None else os.environ
        self.clock: Clock = utc_now  # tests move time by replacing it; the services ask `now` each time

    def now(self) -> datetime:
        return self.clock()

    def _setting(self, name: str, default: str | None = None) -> str:
        value = self._env.get(name, default)
        if not value:
            raise RuntimeError(f"Environment variable {name} is not set")
        return value

    @functools.cached_property
    def pets(self) -> DynamoPetRepository:
        return DynamoPetRepository(self._setting("PETS_TABLE"))

    @functools.cached_property
    def service(self) -> PetService:
        guard = None
        if self._env.get("IDEMPOTENCY_TABLE"):
            from ..idempotency import PowertoolsCreateGuard

            guard = PowertoolsCreateGuard(self._env["IDEMPOTENCY_TABLE"])
        service = PetService(self.pets, create_guard=guard, clock=self.now, lapses=self.lapses)
        if self._env.get("PHOTOS_BUCKET"):
            service.on_remove(lambda pet: self.photos.forget_pet(pet.id))
        return service

    @functools.cached_property
    def reservation_policy(self) -> ReservationPolicy:
        return ReservationPolicy.from_env(self._env)

    @functools.cached_property
    def lapses(self) -> Lapses:
        return Lapses(self.pets, self.now, self.reservation_policy.hold)

    @functools.cached_property
    def reservations(self) -> ReservationService:
        return ReservationService(self.pets, self.lapses, self.reservation_policy)

    @property
    def photo_bucket(self) -> str:
        return self._setting("PHOTOS_BUCKET")

    @functools.cached_property
    def photos(self) -> PhotoService:
        """Photos in the bucket `PHOTOS_BUCKET`; upload forms go to `PHOTOS_UPLOAD_URL` (else boto's URL of the bucket)."""
        from ..photos.service import PhotoService
        from ..store.s3 import S3PhotoStorage

        storage = S3PhotoStorage(self.photo_bucket, self._env.get("PHOTOS_UPLOAD_URL") or None)
        return PhotoService(self.pets, storage)

    @functools.cached_property
    def query_service(self) -> QueryService:
        from ..nlq.interpreter import Interpreter
        from ..query_service import QueryService

        translator = None
        model_id = self._env.get("BEDROCK_MODEL_ID", "")
        if model_id and self._env.get("BEDROCK_ENABLED", "true").lower() not in ("0", "false", "no", "off"):
            from ..nlq.bedrock import BedrockTranslator

            translator = BedrockTranslator(model_id)
        sessions = DynamoSessionStore(self._setting("SESSIONS_TABLE"))
        return QueryService(self.service, self.pets, sessions, Interpreter(translator), rate_limiter=self.query_rate_limiter)

    @functools.cached_property
    def query_rate_limiter(self) -> RateLimiter | None:
        """Questions per principal and window (QUERY_RATE_LIMIT, QUERY_RATE_WINDOW_SECONDS); None when unlimited."""
        from ..rate_limit import RateLimit, RateLimiter
        from ..store.rate_counter import DynamoRateCounter

        limit = RateLimit.from_environment(self._env, "QUERY")
        if limit.requests == 0:
            return None
        return RateLimiter(DynamoRateCounter(self._setting("RATE_LIMIT_TABLE")), limit, action="query")
