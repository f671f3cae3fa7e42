"""Token budgets, in one place for planning, pacing, synthesis, --dry-run and --max-cost: what
a request costs as a provider meters it, and how much data fits a model's context window."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

# Chat formatting adds a few tokens per message beyond the content.
MESSAGE_OVERHEAD_TOKENS = 4

Count = Callable[[str], int]


def message_tokens(count: Count, messages: Iterable[dict[str, Any]]) -> int:
    """Tokens of chat messages as sent: their content plus the per-message formatting."""
    return sum(count(m.get("content") or "") + MESSAGE_OVERHEAD_TOKENS for m in messages)


def json_tokens(count: Count, value: Any) -> int:
    """Tokens of a JSON value sent with a request (a response schema, a tool definition)."""
    return count(json.dumps(value, separators=(",", ":")))


def request_tokens(count: Count, messages: Iterable[dict[str, Any]], *schemas: Any) -> int:
    """Prompt tokens of a request: its messages and every schema it carries."""
    return message_tokens(count, messages) + sum(json_tokens(count, s) for s in schemas)


def data_budget(window: int, max_output: int, overhead: int, margin: float) -> int:
    """Tokens of data (an article, briefings, story cards) one request can carry in a context
    window of `window` tokens, after `max_output` and `overhead` tokens of instructions and
    schema; `margin` (>= 1) covers a tokenizer that only approximates the model's."""
    return int((window - max_output - overhead * margin) / margin)
