"""POST /pets/query: a sentence in, one structured filter applied, the pets out, the conversation kept."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from . import cursors
from .auth import Principal, require_reader
from .models import PetPage, QueryMeta, QueryRequest, QueryResult
from .nlq.interpreter import Interpreter
from .nlq.vocabulary import Vocabulary
from .observability import logger, metrics
from .rate_limit import RateLimiter
from .service import Listing, PetService
from .store.ports import PetRepository, SessionStore

VOCABULARY_TTL_SECONDS = 60.0


class QueryService:
    def __init__(
        self,
        pets_service: PetService,
        pets: PetRepository,
        sessions: SessionStore,
        interpreter: Interpreter,
        clock: Callable[[], float] = time.monotonic,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        self._rate_limiter = rate_limiter
        self._service = pets_service
        self._pets = pets
        self._sessions = sessions
        self._interpreter = interpreter
        self._clock = clock
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_at = 0.0
        pets_service.on_change(self.forget_vocabulary)

    def forget_vocabulary(self) -> None:
        self._vocabulary = None

    def vocabulary(self) -> Vocabulary:
        """Types and breeds in the store: re-read after a write here, and at least once a minute (other containers' writes)."""
        now = self._clock()
        if self._vocabulary is None or now - self._vocabulary_at > VOCABULARY_TTL_SECONDS:
            self._vocabulary = Vocabulary.from_pets(self._pets.type_breed_pairs())
            self._vocabulary_at = now
        return self._vocabulary

    def query(self, principal: Principal | None, request: QueryRequest) -> QueryResult:
        principal = require_reader(principal)
        if self._rate_limiter is not None:
            self._rate_limiter.check(principal)
        started = time.perf_counter()
        session_id = request.session_id or str(uuid.uuid4())

        if request.cursor:
            # A next page continues the answer the cursor came from; the text is not parsed again.
            cursor = cursors.decode(request.cursor)
            source = cursor.extra.get("source", "keyword")
            source = source if source in ("llm", "keyword") else "keyword"
            listing = self._service.search(cursor.pet_filter, request.page_size, cursor.position, cursor.returned, source=source)
            return QueryResult(
                pets=listing.page.pets,
                next_cursor=listing.page.next_cursor,
                filters=cursor.pet_filter,
                source=source,
                session_id=session_id,
                meta=QueryMeta(items_scanned=listing.items_read, latency_ms=_ms(started)),
            )

        previous = self._sessions.load(session_id, principal.subject) if request.session_id else None
        answer = self._interpreter.interpret(request.query, self.vocabulary(), previous)
        if answer.understood:
            listing = self._service.search(answer.pet_filter, request.page_size, None, 0, source=answer.source)
            self._sessions.save(session_id, principal.subject, answer.pet_filter)
        else:  # the subject was not understood: offer no pets, keep the conversation where it was
            listing = Listing(PetPage(pets=[], next_cursor=None), 0)

        latency = _ms(started)
        meta = QueryMeta(
            items_scanned=listing.items_read,
            latency_ms=latency,
            fallback_reason=answer.fallback_reason,
            carried=list(answer.carried),
            unrecognised=list(answer.unrecognised),
            suggestions=answer.suggestions,
            corrected=answer.corrected,
            cached=answer.cached,
            input_tokens=answer.input_tokens,
            output_tokens=answer.output_tokens,
        )
        _account(answer.source, latency, answer.input_tokens, answer.output_tokens, answer.fallback_reason, listing.items_read)
        return QueryResult(
            pets=listing.page.pets,
            next_cursor=listing.page.next_cursor,
            filters=answer.pet_filter,
            source=answer.source,
            session_id=session_id,
            meta=meta,
        )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _account(source: str, latency: float, input_tokens: int, output_tokens: int, fallback: str | None, scanned: int) -> None:
    from aws_lambda_powertools.metrics import MetricUnit

    metrics.add_metric(name="QueryLatency", unit=MetricUnit.Milliseconds, value=latency)
    metrics.add_metric(name="LlmAnswers" if source == "llm" else "KeywordAnswers", unit=MetricUnit.Count, value=1)
    if fallback:
        metrics.add_metric(name="BedrockFallbacks", unit=MetricUnit.Count, value=1)
    if input_tokens or output_tokens:
        metrics.add_metric(name="BedrockInputTokens", unit=MetricUnit.Count, value=input_tokens)
        metrics.add_metric(name="BedrockOutputTokens", unit=MetricUnit.Count, value=output_tokens)
    logger.info(
        "query answered",
        extra={"source": source, "latency_ms": latency, "input_tokens": input_tokens, "output_tokens": output_tokens,
               "fallback_reason": fallback, "items_scanned": scanned},
    )
