"""How requests to one endpoint and model are shaped: the parameters it was found to take.

Servers differ in what they refuse: OpenAI's reasoning models want `max_completion_tokens`
and no temperature, llama.cpp and older Ollama know only `max_tokens`, some servers refuse
`strict` in a schema or a named `tool_choice`. A shape starts from what the model's name
suggests and changes when a server refuses a parameter (see `rejections`); the client keeps
the learned shape per endpoint and model in the cache, so the refusal is paid for once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from typing import Literal

from ...catalog import is_reasoning_model

ToolChoice = Literal["named", "required", "none"]
_TOOL_CHOICES: tuple[ToolChoice, ...] = ("named", "required", "none")


@dataclass(frozen=True)
class RequestShape:
    """Which output-limit parameter to send, and whether to send temperature, `strict` and
    which form of `tool_choice` ("none": leave it out)."""

    limit: str = "max_tokens"
    temperature: bool = True
    strict: bool = True
    tool_choice: ToolChoice = "named"

    @classmethod
    def guess(cls, model: str) -> RequestShape:
        """The first shape for `model`: what its name suggests, until a server says otherwise."""
        if is_reasoning_model(model):
            return cls(limit="max_completion_tokens", temperature=False)
        # Every compatible server and OpenAI's chat models take max_tokens.
        return cls()

    def without(self, parameter: str) -> RequestShape | None:
        """The shape to try after a server refused `parameter`; None when nothing is left."""
        if parameter == "max_tokens" and self.limit == "max_tokens":
            return replace(self, limit="max_completion_tokens")
        if parameter == "max_completion_tokens" and self.limit == "max_completion_tokens":
            return replace(self, limit="max_tokens")
        if parameter == "temperature" and self.temperature:
            return replace(self, temperature=False)
        if parameter == "strict" and self.strict:
            return replace(self, strict=False)
        if parameter == "tool_choice" and self.tool_choice != "none":
            return replace(
                self, tool_choice=_TOOL_CHOICES[_TOOL_CHOICES.index(self.tool_choice) + 1]
            )
        return None

    def dumps(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def loads(cls, text: str | None, fallback: RequestShape) -> RequestShape:
        """A stored shape, or `fallback` when there is none or it cannot be read."""
        if not text:
            return fallback
        try:
            shape = cls(**json.loads(text))
        except (TypeError, ValueError):
            return fallback
        valid = shape.limit in ("max_tokens", "max_completion_tokens")
        return shape if valid and shape.tool_choice in _TOOL_CHOICES else fallback
