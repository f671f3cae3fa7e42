"""Models behind one seam: `provider` says what a backend does; `openai_compat` (the only
module that imports `openai`) and `langchain_chat` are the backends; `client` sits above them
(cache, ladder, repair, retries, pacing); `batches` talks to OpenAI's Batch API.
"""

from __future__ import annotations

from .batches import BatchAPI, BatchState
from .client import LLMClient
from .provider import LADDER, Provider

__all__ = ["LADDER", "BatchAPI", "BatchState", "LLMClient", "Provider"]
