"""POST /pets/query: a sentence in, one structured filter applied, the pets out, the conversation kept."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable

from . import cursors
from .auth import Principal, require_reader
from .errors import BadRequest
from .models import PetPage, QueryMeta, QueryRequest, QueryResult
from .nlq.interpreter import Interpreter
from .nlq.vocabulary import Vocabulary
from .observability import logger, metrics
from .rate_limit import RateLimiter
from .reads import Reads
from .service import Listing, PetService
from .store.ports import PetRepository, SessionStore


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
        self._vocabulary: tuple[int, Vocabulary] | None = None  # (counts revision, vocabulary)

    def vocabulary(self, reads: Reads | None = None) -> Vocabulary:
        """Types and breeds in the store, from its counts: one small read per request, never a scan.

        The counts change with every write in any container, so a question sees a new breed at once; the
        vocabulary is rebuilt only when their revision moved.
        """
        counts = self._pets.counts(reads if reads is not None else Reads())
        cached = self._vocabulary
        if cached is None or cached[0] != counts.revision:
            cached = (counts.revision, Vocabulary.from_counts(counts.type_breed_counts()))
            self._vocabulary = cached
        return cached[1]

    def query(self, principal: Principal | None, request: QueryRequest) -> QueryResult:
        principal = require_reader(principal)
        if self._rate_limiter is not None:
            self._rate_limiter.check(principal)
        started = time.perf_counter()
        session_id = request.session_id or str(uuid.uuid4())

        if request.cursor:
            # A next page continues the answer the cursor came from; the text is not parsed again.
            cursor = cursors.decode(request.cursor)
            if cursor.extra.get("question") != _question_key(request.query):
                raise BadRequest("The cursor belongs to another question: send the same question as the first page.")
            source = cursor.extra.get("source", "keyword")
            source = source if source in ("llm", "keyword") else "keyword"
            listing = self._service.resume(cursor, request.page_size, viewer=principal, source=source,
                                           question=_question_key(request.query))
            return QueryResult(
                pets=listing.page.pets,
                next_cursor=listing.page.next_cursor,
                total=listing.page.total,
                total_capped=listing.page.total_capped,
                filters=cursor.pet_filter,
                source=source,
                session_id=session_id,
                meta=QueryMeta(items_scanned=listing.items_read, more_to_search=listing.more_to_search, latency_ms=_ms(started)),
            )

        previous = self._sessions.load(session_id, principal.subject) if request.session_id else None
        reads = Reads()
        self._service.settle(reads)  # lapsed reservations first: the counts below see their pets available
        answer = self._interpreter.interpret(request.query, self.vocabulary(reads), previous)
        if answer.understood:
            listing = self._service.search(answer.pet_filter, request.page_size, None, 0, reads=reads, viewer=principal,
                                           source=answer.source, question=_question_key(request.query))
            self._sessions.save(session_id, principal.subject, answer.pet_filter)
        else:  # the subject was not understood: offer no pets, keep the conversation where it was
            listing = Listing(PetPage(pets=[], next_cursor=None, total=0), reads.used)

        latency = _ms(started)
        meta = QueryMeta(
            items_scanned=listing.items_read,
            more_to_search=listing.more_to_search,
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
            total=listing.page.total,
            total_capped=listing.page.total_capped,
            filters=answer.pet_filter,
            source=answer.source,
            session_id=session_id,
            meta=meta,
        )


def _question_key(text: str) -> str:
    """A short fingerprint of a question as typed (spacing and case aside), so a cursor stays with its question."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()[:16]


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
