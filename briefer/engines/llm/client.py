"""The model client above the provider seam: cache, structured-output ladder, repair turn,
retries with backoff, pacing and usage. One async core; callers run it in their own loop.

Structured output falls down a ladder when a backend rejects a rung:
json_schema -> a forced tool call -> json_object with the schema in the prompt -> plain
prompt + parse. The rung that worked is remembered per endpoint and model in the cache.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ...cache import Cache, CachedResponse, request_key
from ...catalog import context_window, model_info
from ...errors import (
    ConfigError,
    ContextLengthError,
    EndpointUnreachable,
    LLMError,
    SchemaError,
    TruncatedError,
)
from ...pacing import Pacer
from ...prompts import PromptSet
from ...sanitize import redact
from ...schema import Usage, strict_json_schema
from ...settings import Settings
from ...spending import Meter, cost_of
from ...token_budget import COUNT_RATIO_SLACK, output_cap, request_tokens
from . import retry
from .endpoint import Accepted
from .provider import BatchSupport, Provider, Reply, Transient, Unsupported
from .providers import open_provider

T = TypeVar("T", bound=BaseModel)

# Attempts in a row that reach no server before the run stops: enough to ride out a blip,
# few enough that an outage costs seconds, not every input's retries.
UNREACHABLE_ATTEMPTS = 3
# A request past this share of the context window waits for the run's calibration (`_send`).
NEAR_WINDOW = 0.8
# Seconds each request of the logical call in progress spent with the server: what `briefer
# logs` shows as the call's time, without the waits for pacing and backoff.
_SECONDS_TALKING: contextvars.ContextVar[list[float]] = contextvars.ContextVar("seconds_talking")
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


class LLMClient:
    """Asks one provider for structured replies: from the cache when it can, else through the
    ladder of structured modes, with a repair turn, retries and pacing."""

    def __init__(
        self,
        settings: Settings,
        prompts: PromptSet,
        cache: Cache | None,
        count_tokens: Callable[[str], int] = lambda text: len(text) // 3,
        provider: Provider | None = None,
    ) -> None:
        self.settings = settings
        self.prompts = prompts
        self.cache = cache
        self.provider: Provider = provider or open_provider(settings)
        self.endpoint = self.provider.identity
        self.label = self.provider.label
        self.structured_mode: str | None = None
        self.count_tokens = count_tokens
        self.pacer = Pacer(settings.concurrency, settings.rpm, settings.tpm)
        # Under --max-cost, every call is held to the limit as it is sent.
        self.meter = None if settings.max_cost is None else Meter(settings.max_cost, self._price)
        # Attempts in a row, across all calls of the run, that reached no server at all.
        self.unreachable_streak = 0
        # The context window, and the factor to budget briefer's counts by for this server
        # (its count over briefer's, with COUNT_RATIO_SLACK): from the run's first refusal
        # (see `_send`), or remembered by the caller.
        self.window = context_window(settings.model, settings.context_window)
        # A window the user gave or the model table knows; otherwise a guess, which a server
        # confirms by the largest request it answered or corrects in a refusal.
        self.window_known = bool(settings.context_window) or model_info(settings.model) is not None
        self.largest_answered = 0
        # What this endpoint and model were found to accept, in earlier runs and this one.
        self.accepted = Accepted.recalled(cache, self.label, settings.model)
        # A margin learned earlier is a calibration already done.
        self.calibrated = self.accepted.count_margin is not None
        self._calibration_lock: asyncio.Lock | None = None
        self.on_ratio: Callable[[float], None] | None = None
        # Start from the request shape this endpoint took last time; a refusal updates it.
        self.provider.remember_shape(self.accepted.request_shape, self.accepted.took_shape)

    async def aclose(self) -> None:
        await self.provider.aclose()

    def _price(self, prompt_tokens: int, completion_tokens: int, batch: bool) -> float:
        # No price known: --max-cost was refused before the run began (check_cost_limit).
        return cost_of(self.settings, prompt_tokens, completion_tokens, batch) or 0.0

    @property
    def server_ratio(self) -> float:
        """The factor briefer's token counts are scaled by to budget as this server counts."""
        return self.accepted.count_margin or 1.0

    def output_limit(self, max_output: int | None = None) -> int:
        """Output tokens a call may take: `max_output` as the caller worked it out, else the
        default for replies that are not briefings; never past --max-output-tokens."""
        return output_cap(self.settings.model, self.settings.max_output_tokens, max_output)

    def request_key(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_output: int | None = None
    ) -> str:
        """Cache key of a logical request: everything that changes the answer, never the key.
        A structured mode the user forces is part of it (a reply in another mode would not
        show what that mode does); the mode the ladder found is not."""
        forced = self.settings.structured
        return request_key(
            {
                "endpoint": self.endpoint,
                "model": self.settings.model,
                "messages": messages,
                "schema": schema,
                "temperature": self.settings.temperature,
                "max_output_tokens": self.output_limit(max_output),
                "prompt_version": self.prompts.version,
                **({"structured": forced} if forced != "auto" else {}),
            }
        )

    async def structured(
        self,
        messages: list[dict[str, str]],
        model: type[T],
        usage: Usage,
        max_output: int | None = None,
    ) -> T:
        """Return the model's reply to `messages` validated as `model`, from cache when possible;
        the reply may take `max_output` tokens (see `output_limit`)."""
        schema = strict_json_schema(model)
        limit = self.output_limit(max_output)
        key = self.request_key(messages, schema, limit)
        if self.cache is not None and not self.settings.refresh:
            # SQLite waits on other writers: off the event loop, so calls in flight go on.
            cached = await asyncio.to_thread(self.cache.get, key)
            if cached is not None:
                try:
                    result = model.model_validate_json(cached.content)
                except ValidationError:
                    pass  # a damaged or foreign row: ask again, and the good reply replaces it
                else:
                    usage.cached_calls += 1
                    return result
        spent = Usage()
        waited = _SECONDS_TALKING.set([])
        try:
            result = await self._ask(messages, model, schema, spent, limit)
            seconds = sum(_SECONDS_TALKING.get())
        finally:
            _SECONDS_TALKING.reset(waited)
            usage.add(spent)
        if self.cache is not None:
            await asyncio.to_thread(
                self.cache.put,
                key,
                self.settings.model,
                CachedResponse(
                    result.model_dump_json(),
                    spent.prompt_tokens,
                    spent.completion_tokens,
                    # What `briefer logs` shows: the messages (no key is ever in them), the
                    # endpoint without credentials, the time the call took.
                    request=json.dumps(messages, ensure_ascii=False),
                    endpoint=self.label,
                    seconds=round(seconds, 3),
                ),
            )
        return result

    def batch_request(
        self, messages: list[dict[str, str]], model: type[BaseModel], max_output: int | None = None
    ) -> tuple[str, dict[str, Any]]:
        """The cache key of a logical request and the body a Batch API line carries for it,
        in the structured mode this endpoint is known to take (json_schema when unknown)."""
        batch = self.batch_api()
        schema = strict_json_schema(model)
        mode = self._rungs()[0]
        conversation = self._with_schema_instruction(mode, messages, schema)
        limit = self.output_limit(max_output)
        return self.request_key(messages, schema, limit), batch.params(
            mode, conversation, schema, limit
        )

    def batch_api(self) -> BatchSupport:
        """The provider's Batch API; a ConfigError when it has none."""
        if self.provider.batch is None:
            raise ConfigError("--batch needs the OpenAI API (or a server with its Batch API)")
        return self.provider.batch

    def accept_batch_reply(self, key: str, body: dict[str, Any], model: type[BaseModel]) -> bool:
        """Store a Batch API reply under `key` when it is a valid `model`; False otherwise, and
        the request is later sent synchronously (with a repair turn if needed)."""
        reply = self.batch_api().reply(body)
        if reply is None or reply.truncated:
            return False
        try:
            parsed = model.model_validate_json(_strip_fences(reply.content))
        except ValidationError:
            return False
        if self.meter is not None:
            self.meter.add(reply.prompt_tokens, reply.completion_tokens, batch=True)
        if self.cache is not None:
            self.cache.put(
                key,
                self.settings.model,
                CachedResponse(
                    parsed.model_dump_json(), reply.prompt_tokens, reply.completion_tokens
                ),
            )
        return True

    def _rungs(self) -> tuple[str, ...]:
        if self.settings.structured != "auto":
            return (self.settings.structured,)
        known = self.structured_mode or self.accepted.structured_mode
        modes = self.provider.modes
        return modes[modes.index(known) :] if known in modes else modes

    async def _ask(
        self,
        messages: list[dict[str, str]],
        model: type[T],
        schema: dict[str, Any],
        spent: Usage,
        limit: int,
    ) -> T:
        rungs = self._rungs()
        for position, mode in enumerate(rungs):
            if self._refused(mode) and position + 1 < len(rungs):
                continue
            try:
                result = await self._ask_in_mode(mode, messages, model, schema, spent, limit)
            except Unsupported as exc:
                if position + 1 == len(rungs):
                    raise LLMError(
                        f"{self.label} rejected structured mode {mode!r}: {exc}", status=400
                    ) from None
                # Refused is refused, whatever the next mode's reply turns out to be: later
                # calls, and calls already waiting, start below, not with another refusal.
                self._start_at(rungs[position + 1])
                continue
            self._start_at(mode)
            return result
        raise AssertionError("unreachable: the ladder always has a rung")

    def _refused(self, mode: str) -> bool:
        """Whether the run stepped down past `mode` (the server refused it): a call that chose
        its mode before the refusal came back does not send it again."""
        modes = self.provider.modes
        known = self.structured_mode
        return known in modes and mode in modes and modes.index(mode) < modes.index(known)

    def _as_server_counts(self, counted: int, limit: int) -> float:
        """A request's prompt (`counted` by briefer) and output allowance as the server is
        known to count them."""
        return counted * self.server_ratio + limit

    def _start_at(self, mode: str) -> None:
        self.structured_mode = mode
        self.accepted.took_mode(mode)

    async def _ask_in_mode(
        self,
        mode: str,
        messages: list[dict[str, str]],
        model: type[T],
        schema: dict[str, Any],
        spent: Usage,
        limit: int,
    ) -> T:
        conversation = self._with_schema_instruction(mode, messages, schema)
        attempts = 0
        while True:
            attempts += 1
            reply = await self._send(mode, conversation, schema, spent, limit)
            try:
                return model.model_validate_json(_strip_fences(reply.content))
            except ValidationError as exc:
                if _is_not_json(exc) and not reply.truncated and mode == "json_schema":
                    # A server that ignores response_format answers in prose: go down the ladder.
                    raise Unsupported("reply was not JSON") from exc
                if reply.truncated:
                    # Asking again for a shorter reply pays for the article twice and gets a
                    # thinner briefing: the caller re-plans the article into parts instead.
                    raise TruncatedError(
                        f"The reply was cut off at its limit of {limit} output tokens",
                        max_output=limit,
                    ) from None
                if attempts > 1:
                    raise SchemaError(
                        f"The model's reply did not match the briefing schema after {attempts}"
                        f" attempts: {_first_error(exc)}",
                        attempts=attempts,
                        last_response=redact(reply.content, self.settings.api_key),
                    ) from None
                spent.repairs += 1
                problem = _describe(exc)
                ask = {"role": "user", "content": self.prompts["repair.user"].render(error=problem)}
                shown = [*conversation, {"role": "assistant", "content": reply.content}, ask]
                # The failed reply beside the article may not fit a small window (a small
                # model's long, broken reply): then the repair names the problem without it.
                conversation = (
                    shown if self._fits(mode, shown, schema, limit) else [*conversation, ask]
                )

    def _with_schema_instruction(
        self, mode: str, messages: list[dict[str, str]], schema: dict[str, Any]
    ) -> list[dict[str, str]]:
        if mode not in ("json_object", "prompt"):
            return messages
        instruction = self.prompts["schema.system"].render(
            schema=json.dumps(schema, separators=(",", ":"))
        )
        if messages and messages[0]["role"] == "system":
            system = {"role": "system", "content": messages[0]["content"] + "\n\n" + instruction}
            return [system, *messages[1:]]
        return [{"role": "system", "content": instruction}, *messages]

    async def _send(
        self,
        mode: str,
        conversation: list[dict[str, str]],
        schema: dict[str, Any],
        spent: Usage,
        limit: int,
    ) -> Reply:
        """One logical call: retry transient failures with backoff, honouring Retry-After.

        A request that could be refused for its size goes alone: before the run's first
        answer from near the context window (the server may count more tokens than briefer),
        and, while the window is only a guess, any request larger than the server has
        answered. So a server refuses one request, not every one in flight: from its refusal
        the window and the ratio of the two counts are learned, and a later request that
        would not fit as the server counts is refused here, unsent (the caller re-plans)."""
        counted = self._count(mode, conversation, schema)
        if self._untried(counted, limit):
            async with self._calibration():
                if self._untried(counted, limit):
                    return await self._send_alone(mode, conversation, schema, spent, limit, counted)
        if self._as_server_counts(counted, limit) > self.window:
            refusal = ContextLengthError(
                f"{self.label}: the request would exceed the model's context window of"
                f" {self.window} tokens as the server counts them (not sent)",
                limit=self.window,
                server_prompt_tokens=int(counted * self.server_ratio / COUNT_RATIO_SLACK) + 1,
            )
            refusal.counted_prompt_tokens = counted
            raise refusal
        return await self._send_with_retries(mode, conversation, schema, spent, limit, counted)

    def _count(self, mode: str, conversation: list[dict[str, str]], schema: dict[str, Any]) -> int:
        """A request's prompt tokens as briefer counts them (the schema where the mode sends it
        beside the messages)."""
        schemas = [schema] if mode in ("json_schema", "tool") else []
        return request_tokens(self.count_tokens, conversation, *schemas)

    def _fits(
        self, mode: str, conversation: list[dict[str, str]], schema: dict[str, Any], limit: int
    ) -> bool:
        """Whether a request fits the context window as the server is known to count."""
        counted = self._count(mode, conversation, schema)
        return self._as_server_counts(counted, limit) <= self.window

    def _untried(self, counted: int, limit: int) -> bool:
        """Whether a request this size could be refused for it, as far as the run knows."""
        size = self._as_server_counts(counted, limit)
        if not self.window_known:
            return size > self.largest_answered
        return not self.calibrated and counted + limit > NEAR_WINDOW * self.window

    async def _send_alone(
        self,
        mode: str,
        conversation: list[dict[str, str]],
        schema: dict[str, Any],
        spent: Usage,
        limit: int,
        counted: int,
    ) -> Reply:
        """Send a request the others wait for, and learn from how the server takes it."""
        try:
            reply = await self._send_with_retries(mode, conversation, schema, spent, limit, counted)
        except ContextLengthError as exc:
            self._learn_count(exc, counted)
            raise
        finally:
            self.calibrated = True
        # What the server counted for a request this size (its usage) teaches the ratio
        # too, before the requests that waited are sent.
        if reply.prompt_tokens:
            self._learn_ratio(reply.prompt_tokens / max(1, counted))
        self.largest_answered = max(self.largest_answered, int(counted * self.server_ratio) + limit)
        return reply

    def _calibration(self) -> asyncio.Lock:
        if self._calibration_lock is None:
            self._calibration_lock = asyncio.Lock()
        return self._calibration_lock

    def _learn_count(self, exc: ContextLengthError, counted: int) -> None:
        """Take the server's window and its count of a refused request's prompt."""
        exc.counted_prompt_tokens = counted
        if exc.limit:
            self.window = min(self.window, exc.limit)
            self.window_known = True
        if exc.count_ratio:
            self._learn_ratio(exc.count_ratio)

    def _learn_ratio(self, count_ratio: float) -> None:
        """The server counts `count_ratio` tokens per token of briefer's: budget by it (and
        tell the run, whose plans budget by the same factor)."""
        if self.accepted.counts_more(count_ratio * COUNT_RATIO_SLACK) and self.on_ratio:
            self.on_ratio(count_ratio)

    async def _send_with_retries(
        self,
        mode: str,
        conversation: list[dict[str, str]],
        schema: dict[str, Any],
        spent: Usage,
        limit: int,
        counted: int,
    ) -> Reply:
        attempt = 0
        while True:
            delay: float | None = None
            throttled = False
            held = 0.0
            answered = sent = False
            ticket = await self.pacer.acquire(counted, limit)
            started = time.monotonic()
            try:
                if self._refused(mode):
                    # Refused to another call while this one waited for its turn.
                    raise Unsupported(f"{mode} was refused earlier in this run")
                if self.meter is not None:
                    # At the count the server is known to use, with the slack a count varies by.
                    ratio = max(self.server_ratio, COUNT_RATIO_SLACK)
                    held = self.meter.hold(int(counted * ratio), limit)
                sent = True
                reply = await self.provider.complete(mode, conversation, schema, limit)
                self.unreachable_streak = 0
                self.pacer.calibrate(ticket, counted, limit, reply.prompt_tokens)
                self.pacer.learn(reply.headers, ticket)
                spent.calls += 1
                spent.prompt_tokens += reply.prompt_tokens
                spent.completion_tokens += reply.completion_tokens
                if self.meter is not None:
                    self.meter.charge(held, reply.prompt_tokens, reply.completion_tokens)
                answered = True
                return reply
            except Transient as exc:
                self.pacer.learn(exc.headers, ticket)
                spent.calls += exc.answered
                self.unreachable_streak = self.unreachable_streak + 1 if exc.unreachable else 0
                throttled, delay, failure, status = (
                    exc.throttled,
                    exc.retry_after,
                    exc.failure,
                    exc.status,
                )
            except Unsupported as exc:
                spent.calls += exc.answered
                raise
            except ContextLengthError as exc:
                exc.counted_prompt_tokens = counted  # for the margin the re-plan learns
                raise
            except asyncio.CancelledError:
                if self.meter is not None and sent:
                    # Stopped after it was sent: the server may bill it all the same.
                    self.meter.keep(held)
                    answered = True
                raise
            finally:
                if self.meter is not None and not answered:
                    self.meter.release(held)
                _SECONDS_TALKING.get([]).append(time.monotonic() - started)
                await self.pacer.release(ticket, throttled, delay if throttled else None)
            attempt += 1
            if self.unreachable_streak >= UNREACHABLE_ATTEMPTS:
                # Every other input would wait through the same retries for nothing.
                raise EndpointUnreachable(
                    f"Cannot reach {self.label} ({failure}, {self.unreachable_streak} attempts"
                    " in a row): check the network and --base-url, or brief offline with"
                    " --engine extractive"
                )
            if retry.gives_up(attempt, self.settings.max_retries):
                raise LLMError(f"{failure}; gave up after {attempt} attempts", status=status)
            spent.retries += 1
            await asyncio.sleep(retry.delay(attempt, delay))


def _strip_fences(content: str) -> str:
    text = _FENCE.sub("", content.strip())
    if not text.startswith("{") and "{" in text and "}" in text:
        # Plain-prompt replies sometimes wrap the object in prose.
        text = text[text.index("{") : text.rindex("}") + 1]
    return text


def _is_not_json(exc: ValidationError) -> bool:
    return any(error["type"] == "json_invalid" for error in exc.errors())


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "reply"
    return f"{where}: {error['msg']}"


def _describe(exc: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or 'reply'}: {error['msg']}"
        for error in exc.errors()[:10]
    ]
    return "; ".join(problems)
