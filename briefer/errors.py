"""The one exception hierarchy of briefer.

    BrieferError
    ├── ConfigError        bad settings or usage (CLI exit 2)
    ├── InputError         one input cannot be read (that input fails, others go on)
    ├── CostLimitError        the plan would spend past --max-cost
    ├── CacheError         the response cache cannot be used
    │   └── CacheUnavailable   its folder cannot be written: runs go on without it
    ├── HistoryError       the digest history cannot be read or written
    ├── OutputError        an output file cannot be written (that output fails, others go on)
    └── LLMError           the model endpoint failed after retries
        ├── SchemaError    the model's reply never matched the schema
        ├── TruncatedError the reply was cut off at its output limit
        ├── ContextLengthError  the request did not fit the model's context window
        └── EndpointUnreachable   nothing listens at the base URL: the run stops

Every message is one line a user can act on. Modules that own a dependency wrap its
exceptions here, so nothing above `llm` sees openai errors and nothing above `cache`
sees sqlite3 ones.
"""

from __future__ import annotations


class BrieferError(Exception):
    """Base class of every error briefer raises on purpose."""


class ConfigError(BrieferError):
    """Settings, options or the config file are invalid."""


class InputError(BrieferError):
    """An input could not be read or holds no article text."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class CostLimitError(BrieferError):
    """The planned calls would cost more than --max-cost allows (dollars; token budgets are
    `token_budget.py`'s)."""

    def __init__(self, estimated_usd: float, limit_usd: float) -> None:
        super().__init__(
            f"Planned calls could cost ${estimated_usd:.4f}, over --max-cost ${limit_usd:.4f};"
            " raise the limit or check the plan with --dry-run."
        )
        self.estimated_usd = estimated_usd
        self.limit_usd = limit_usd


# The name before 0.x; kept so that scripts catching it still do.
BudgetError = CostLimitError


class CacheError(BrieferError):
    """The SQLite response cache is unreadable or not a briefer cache."""


class CacheUnavailable(CacheError):
    """The cache's folder or file cannot be opened for writing; a run goes on uncached."""


class HistoryError(BrieferError):
    """The digest history file is unreadable, damaged or not a briefer history."""


class OutputError(BrieferError):
    """An output file could not be written."""


class LLMError(BrieferError):
    """The model endpoint failed, after retries where retrying made sense."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SchemaError(LLMError):
    """The model's reply did not validate against the briefing schema, even after repair."""

    def __init__(self, message: str, attempts: int, last_response: str) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_response = last_response


class TruncatedError(LLMError):
    """The model's reply was cut off at its output limit of `max_output` tokens."""

    def __init__(self, message: str, max_output: int) -> None:
        super().__init__(message)
        self.max_output = max_output


class ContextLengthError(LLMError):
    """The request was longer than the model's context window; `limit` is the window in
    tokens when the server stated it."""

    def __init__(
        self, message: str, limit: int | None, server_prompt_tokens: int | None = None
    ) -> None:
        super().__init__(message, status=400)
        self.limit = limit
        # What the server counted in the messages, when it said so; and what briefer counted
        # for the same request (set by the client that sent it).
        self.server_prompt_tokens = server_prompt_tokens
        self.counted_prompt_tokens: int | None = None

    @property
    def count_ratio(self) -> float | None:
        """How many tokens the server counted per token briefer counted, when both are known."""
        if not self.server_prompt_tokens or not self.counted_prompt_tokens:
            return None
        return self.server_prompt_tokens / self.counted_prompt_tokens


class EndpointUnreachable(LLMError):
    """Nothing accepts connections at the endpoint: every input would fail the same way."""


def reason_of(exc: BaseException) -> str:
    """One line for an input's Failure: the message of an expected error, else the kind and
    first line of the unexpected one (its traceback goes to the `briefer` logger, which the
    CLI's --debug shows)."""
    import logging

    if isinstance(exc, InputError):
        return exc.reason
    if isinstance(exc, BrieferError):
        return str(exc)
    logging.getLogger("briefer").debug("unexpected failure", exc_info=exc)
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"unexpected {type(exc).__name__}" + (f": {first}" if first else "")
