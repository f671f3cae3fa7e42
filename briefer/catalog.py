"""What briefer knows about models: context windows, output caps and prices (USD per million
tokens).

Matched by longest prefix, so dated snapshots ("gpt-4o-2024-08-06") inherit their family's
entry. Unknown models get a conservative context window and no price, unless the user names
one (--price) or the model runs on this machine, where a call costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CONTEXT_WINDOW = 8192
# What briefer asks of a model whose output cap it does not know: most servers allow it.
DEFAULT_MAX_OUTPUT = 4096
# OpenAI's Batch API bills half the list price for input and output.
BATCH_PRICE_FACTOR = 0.5


# USD per million (input, output) tokens.
Price = tuple[float, float]


@dataclass(frozen=True)
class ModelInfo:
    """Context window and output cap in tokens and, where known, prices in USD per million
    tokens."""

    context_window: int
    input_price: float | None = None
    output_price: float | None = None
    max_output: int | None = None


KNOWN_MODELS: dict[str, ModelInfo] = {
    "gpt-5-nano": ModelInfo(272_000, 0.05, 0.40, 128_000),
    "gpt-5-mini": ModelInfo(272_000, 0.25, 2.00, 128_000),
    "gpt-5": ModelInfo(272_000, 1.25, 10.00, 128_000),
    "gpt-4.1-nano": ModelInfo(1_047_576, 0.10, 0.40, 32_768),
    "gpt-4.1-mini": ModelInfo(1_047_576, 0.40, 1.60, 32_768),
    "gpt-4.1": ModelInfo(1_047_576, 2.00, 8.00, 32_768),
    "gpt-4o-mini": ModelInfo(128_000, 0.15, 0.60, 16_384),
    "gpt-4o": ModelInfo(128_000, 2.50, 10.00, 16_384),
    "gpt-4-turbo": ModelInfo(128_000, 10.00, 30.00, 4_096),
    "gpt-4": ModelInfo(8_192, 30.00, 60.00, 8_192),
    "gpt-3.5-turbo": ModelInfo(16_385, 0.50, 1.50, 4_096),
    "o4-mini": ModelInfo(200_000, 1.10, 4.40, 100_000),
    "o3-mini": ModelInfo(200_000, 1.10, 4.40, 100_000),
    "o3": ModelInfo(200_000, 2.00, 8.00, 100_000),
    "o1": ModelInfo(200_000, 15.00, 60.00, 100_000),
    # Common open models as Ollama / vLLM name them; local, so no price.
    "llama3.1": ModelInfo(128_000),
    "llama3.2": ModelInfo(128_000),
    "llama3.3": ModelInfo(128_000),
    "llama3": ModelInfo(8_192),
    "qwen2.5": ModelInfo(32_768),
    "qwen3": ModelInfo(32_768),
    "mistral": ModelInfo(32_768),
    "mixtral": ModelInfo(32_768),
    "gemma2": ModelInfo(8_192),
    "gemma3": ModelInfo(128_000),
    "phi3": ModelInfo(4_096),
}


def model_info(model: str) -> ModelInfo | None:
    """Return the entry whose name is the longest prefix of `model` (provider prefix ignored)."""
    name = model.rsplit("/", 1)[-1].lower()
    best = max((key for key in KNOWN_MODELS if name.startswith(key)), key=len, default=None)
    return KNOWN_MODELS[best] if best else None


def context_window(model: str, override: int | None = None) -> int:
    """Return the model's context window: the override, the table's entry, or the default."""
    if override:
        return override
    info = model_info(model)
    return info.context_window if info else DEFAULT_CONTEXT_WINDOW


def max_output(model: str) -> int:
    """Return the most output tokens the model writes in one reply (the default when unknown)."""
    info = model_info(model)
    return info.max_output if info and info.max_output else DEFAULT_MAX_OUTPUT


def is_reasoning_model(model: str) -> bool:
    """True for models that reject temperature and max_tokens (o-series, gpt-5)."""
    name = model.rsplit("/", 1)[-1].lower()
    return name.startswith(("o1", "o3", "o4", "gpt-5"))


def price_of(model: str, named: Price | None = None, local: bool = False) -> Price | None:
    """The price to plan with: the one the user named, else the model's list price, else
    nothing for a server on this machine; None when none is known.

    A list price wins over `local` because a proxy on localhost (LiteLLM, say) may forward to
    a paid API: only a model briefer has no price for is taken to run locally for free.
    """
    if named is not None:
        return named
    info = model_info(model)
    if info is not None and info.input_price is not None and info.output_price is not None:
        return (info.input_price, info.output_price)
    return (0.0, 0.0) if local else None


def estimate_cost(
    model: str,
    prompt_tokens: int,
    completion_tokens: int,
    batch: bool = False,
    price: Price | None = None,
    local: bool = False,
) -> float | None:
    """Return the USD cost of the tokens at `price_of(model, price, local)` (or its Batch API
    price), or None when the price is unknown."""
    known = price_of(model, price, local)
    if known is None:
        return None
    cost = (prompt_tokens * known[0] + completion_tokens * known[1]) / 1e6
    return cost * BATCH_PRICE_FACTOR if batch else cost
