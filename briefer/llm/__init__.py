"""The OpenAI-compatible client: the only package that imports `openai`.

`client` sends chat requests for structured replies (retries, repair, pacing, cache);
`batches` talks to the files and batches endpoints of the Batch API.
"""

from __future__ import annotations

from .batches import BatchAPI, BatchState
from .client import LADDER, LLMClient

__all__ = ["LADDER", "BatchAPI", "BatchState", "LLMClient"]
