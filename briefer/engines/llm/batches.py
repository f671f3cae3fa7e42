"""The Batch API's files and batches endpoints, wrapped: upload a JSONL file of requests,
create a batch over it, follow it, download its results, cancel it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigError, LLMError
from ...sanitize import message_line
from . import retry
from .client import LLMClient

ENDPOINT = "/v1/chat/completions"
WINDOW = "24h"
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})


@dataclass(frozen=True)
class BatchState:
    """What the provider says of one batch."""

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


class BatchAPI:
    """Batch calls over the same endpoint, key and HTTP client as `client`."""

    def __init__(self, client: LLMClient) -> None:
        self.client = client

    def _sdk(self) -> Any:
        batch = self.client.provider.batch
        if batch is None:
            raise ConfigError("--batch needs the OpenAI API (or a server with its Batch API)")
        return batch.sdk()

    async def upload(self, name: str, content: bytes) -> str:
        """Upload a JSONL request file; return its file id."""
        uploaded = await self._call(
            lambda api: api.files.create(file=(name, content), purpose="batch")
        )
        return str(uploaded.id)

    async def create(self, file_id: str) -> BatchState:
        batch = await self._call(
            lambda api: api.batches.create(
                input_file_id=file_id,
                endpoint=ENDPOINT,
                completion_window=WINDOW,
                metadata={"created_by": "briefer"},
            )
        )
        return _state(batch)

    async def retrieve(self, batch_id: str) -> BatchState:
        return _state(await self._call(lambda api: api.batches.retrieve(batch_id)))

    async def cancel(self, batch_id: str) -> BatchState:
        return _state(await self._call(lambda api: api.batches.cancel(batch_id)))

    async def content(self, file_id: str) -> str:
        response = await self._call(lambda api: api.files.content(file_id))
        return str(response.text)

    async def _call(self, request: Any) -> Any:
        """Run one API call, retrying what is transient; LLMError for the rest."""
        import openai

        attempt = 0
        while True:
            try:
                return await request(self._sdk())
            except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError):
                attempt += 1
                if retry.gives_up(attempt, self.client.settings.max_retries):
                    raise LLMError(
                        f"The Batch API at {self.client.label} kept failing; rerun the same"
                        " command to pick up where it stopped"
                    ) from None
                await asyncio.sleep(retry.delay(attempt))
            except openai.APIStatusError as exc:
                message = message_line(str(exc), self.client.settings.api_key, limit=300)
                raise LLMError(
                    f"The Batch API at {self.client.label} refused: {message}",
                    status=exc.status_code,
                ) from exc


def _state(batch: Any) -> BatchState:
    counts = batch.request_counts
    return BatchState(
        id=str(batch.id),
        status=str(batch.status),
        total=int(getattr(counts, "total", 0) or 0),
        completed=int(getattr(counts, "completed", 0) or 0),
        failed=int(getattr(counts, "failed", 0) or 0),
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
    )
