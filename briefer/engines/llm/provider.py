"""The provider seam: what a model backend does for briefer, and nothing more.

A provider turns one chat request in one structured-output mode into one reply: it builds the
request its API wants, sends it, reads the reply and maps its errors onto the three outcomes
below. The cache, the ladder of structured modes, the repair turn, retries and pacing sit
above it in `LLMClient` and never know which provider answered. The OpenAI-compatible client
(`openai_compat`) is the first provider; LangChain chat models (`langchain_chat`) the second.

To add a provider: write one class with these members and return it from `open_provider`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

# Structured-output modes, best first: a strict JSON schema, a forced tool call, JSON mode with
# the schema in the prompt, a plain prompt and parsing.
LADDER = ("json_schema", "tool", "json_object", "prompt")


@dataclass(frozen=True)
class Reply:
    """A provider's answer: the reply's JSON text, whether the output cap cut it off, the
    tokens it cost and the response headers (rate limits) when the provider has them."""

    content: str
    truncated: bool
    prompt_tokens: int
    completion_tokens: int
    headers: Mapping[str, str] | None = None


class Transient(Exception):
    """A failure worth retrying after a pause: a 429, a 5xx, a dropped connection, a malformed
    body. `answered`: the server did reply (the call counts); `unreachable`: no connection."""

    def __init__(
        self,
        failure: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        throttled: bool = False,
        headers: Mapping[str, str] | None = None,
        answered: bool = False,
        unreachable: bool = False,
    ) -> None:
        super().__init__(failure)
        self.failure = failure
        self.status = status
        self.retry_after = retry_after
        self.throttled = throttled
        self.headers = headers
        self.answered = answered
        # No connection could be made (a name that does not resolve, no route, a reset
        # before any reply): several in a row mean the endpoint cannot be reached at all.
        self.unreachable = unreachable


class Unsupported(Exception):
    """The backend does not take the structured-output mode that was tried."""

    def __init__(self, reason: str, *, answered: bool = False) -> None:
        super().__init__(reason)
        self.answered = answered


# A batch job's states that do not change any more.
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})


@dataclass(frozen=True)
class BatchState:
    """What the provider says of one batch job."""

    id: str
    status: str
    total: int
    completed: int
    failed: int
    output_file_id: str | None
    error_file_id: str | None

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL


class BatchSupport(Protocol):
    """A provider's Batch API: its request file's lines and limits, the body one line carries,
    its jobs' lifecycle (upload a JSONL file of requests, create a job over it, follow it, read
    its results, cancel it), its result lines and the reply one holds. Errors are LLMErrors,
    after the one retry policy."""

    @property
    def max_requests_per_file(self) -> int:
        """How many request lines one file may hold."""

    @property
    def max_file_bytes(self) -> int:
        """How large one request file may be."""

    def params(
        self, mode: str, messages: list[dict[str, str]], schema: dict[str, Any], max_output: int
    ) -> dict[str, Any]:
        """The request body `complete` would send in `mode`."""

    def line(self, key: str, body: dict[str, Any]) -> bytes:
        """One line of a request file: `body`, sent under `key`."""

    def result(self, line: str) -> tuple[str, dict[str, Any] | None]:
        """The key a result line answers, and its response body (None when that request
        failed)."""

    def reply(self, body: dict[str, Any]) -> Reply | None:
        """A result line's reply, or None when it holds none."""

    async def upload(self, name: str, content: bytes) -> str:
        """Upload a JSONL request file; return its file id."""

    async def create(self, file_id: str) -> BatchState:
        """Start a job over an uploaded file."""

    async def retrieve(self, batch_id: str) -> BatchState:
        """A job's state now."""

    async def cancel(self, batch_id: str) -> BatchState:
        """Cancel a job; its state after."""

    async def content(self, file_id: str) -> str:
        """A result file's text."""


class Provider(Protocol):
    """One model backend. Errors other than Transient and Unsupported are LLMErrors.

    Besides sending requests, a provider declares what it can do: the structured modes it can
    try (`modes`), a Batch API (`batch`, or None), whether it caps each reply at the output
    limit (`caps_output`), and whether it learns the request shape an endpoint takes
    (`remember_shape`; a backend with nothing to learn ignores it).
    """

    @property
    def label(self) -> str:
        """Where requests go, safe to show and to store (no credentials)."""

    @property
    def identity(self) -> str:
        """What tells this backend apart in cache keys."""

    @property
    def model(self) -> str:
        """The model's name as briefings report it (`engine.model`)."""

    @property
    def modes(self) -> tuple[str, ...]:
        """The structured-output modes it can try, best first (a tail of LADDER, or one)."""

    async def complete(
        self, mode: str, messages: list[dict[str, str]], schema: dict[str, Any], max_output: int
    ) -> Reply:
        """Send one request in `mode`, its reply capped at `max_output` tokens where the
        backend takes a cap, and return its reply."""

    @property
    def batch(self) -> BatchSupport | None:
        """Its Batch API, if it has one."""

    @property
    def caps_output(self) -> bool:
        """Whether each reply is cut at the output limit `complete` is given (a backend that
        cannot cap a reply still answers, with its own limit)."""

    def remember_shape(self, stored: str | None, store: Callable[[str], None]) -> None:
        """Start from the request shape `stored` for this endpoint and model (None: not
        known), and `store` each new one a refusal teaches."""

    async def aclose(self) -> None:
        """Release connections."""
