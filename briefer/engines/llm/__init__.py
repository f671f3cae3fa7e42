"""Models behind one seam: `provider` says what a backend does and can do; `openai_compat`
(the only module that imports `openai`, with its Batch API) and `langchain_chat` are the
backends; `client` sits above them (cache, ladder, repair, retries, pacing) with `endpoint`,
what an endpoint was found to accept.
"""

from __future__ import annotations

from .client import LLMClient
from .provider import LADDER, BatchState, BatchSupport, Provider

__all__ = ["LADDER", "BatchState", "BatchSupport", "LLMClient", "Provider"]
