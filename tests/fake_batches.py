"""The files and batches endpoints of the Batch API, for the fake server.

A batch turns `completed` `delay` seconds after it is created; its items are answered like
chat completions (the diligent model, or the fake's responder). Tests can fail chosen items,
let a batch expire after some items, and inspect what was uploaded and created.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .fake_openai import FakeOpenAI


@dataclass
class Job:
    batch: dict[str, Any]
    lines: list[dict[str, Any]]
    ready_at: float
    done: bool = False


@dataclass
class FakeBatches:
    server: FakeOpenAI
    delay: float = 0.2
    # custom_id -> True to fail that item with a server error.
    fail_item: Callable[[str], bool] | None = None
    # Expire each batch after answering this many items (None: never expire).
    expire_after: int | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    # HTTP calls received, by kind: upload, create, cancel, retrieve, content, list.
    calls: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.delay, self.fail_item, self.expire_after = 0.2, None, None
            self.files.clear()
            self.jobs.clear()
            self.calls.clear()

    # --- HTTP ----------------------------------------------------------------------------

    def post(self, path: str, raw: bytes, headers: Any) -> tuple[int, bytes]:
        kind = "upload" if path.endswith("/files") else "cancel" if "cancel" in path else "create"
        with self.lock:
            self.calls[kind] += 1
        if path.endswith("/files"):
            return self._upload(raw, headers.get("content-type", ""))
        if path.endswith("/batches"):
            return self._create(json.loads(raw))
        if match := re.search(r"/batches/([\w-]+)/cancel$", path):
            return self._cancel(match[1])
        return 404, b'{"error": {"message": "no such endpoint"}}'

    def get(self, path: str) -> tuple[int, bytes]:
        kind = "content" if "/content" in path else "retrieve" if "/batches/" in path else "list"
        with self.lock:
            self.calls[kind] += 1
        if match := re.search(r"/files/([\w-]+)/content$", path):
            with self.lock:
                content = self.files.get(match[1])
            return (200, content) if content is not None else (404, b"{}")
        if match := re.search(r"/batches/([\w-]+)$", path):
            job = self._advance(match[1])
            return (200, json.dumps(job.batch).encode()) if job else (404, b"{}")
        if re.search(r"/batches(\?.*)?$", path):
            with self.lock:
                data = [job.batch for job in self.jobs.values()]
            page = {"object": "list", "data": data, "has_more": False}
            return 200, json.dumps(page).encode()
        return 404, b'{"error": {"message": "no such endpoint"}}'

    # --- behaviour -------------------------------------------------------------------------

    def _upload(self, raw: bytes, content_type: str) -> tuple[int, bytes]:
        boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
        content = b""
        filename = "upload.jsonl"
        for part in raw.split(b"--" + boundary):
            head, _, body = part.partition(b"\r\n\r\n")
            if b'name="file"' in head:
                content = body.rsplit(b"\r\n", 1)[0]
                if found := re.search(rb'filename="([^"]+)"', head):
                    filename = found[1].decode()
        with self.lock:
            file_id = f"file-{len(self.files) + 1}"
            self.files[file_id] = content
        return 200, json.dumps(
            {
                "id": file_id,
                "object": "file",
                "bytes": len(content),
                "created_at": 1_700_000_000,
                "filename": filename,
                "purpose": "batch",
                "status": "processed",
            }
        ).encode()

    def _create(self, body: dict[str, Any]) -> tuple[int, bytes]:
        with self.lock:
            content = self.files.get(body["input_file_id"])
            if content is None:
                return 404, b'{"error": {"message": "no such file"}}'
            lines = [json.loads(line) for line in content.decode().splitlines() if line]
            batch_id = f"batch_{len(self.jobs) + 1}"
            batch = {
                "id": batch_id,
                "object": "batch",
                "endpoint": body["endpoint"],
                "input_file_id": body["input_file_id"],
                "completion_window": body["completion_window"],
                "status": "in_progress",
                "created_at": int(time.time()),
                "output_file_id": None,
                "error_file_id": None,
                "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
                "metadata": body.get("metadata"),
            }
            self.jobs[batch_id] = Job(batch, lines, time.monotonic() + self.delay)
        return 200, json.dumps(batch).encode()

    def _cancel(self, batch_id: str) -> tuple[int, bytes]:
        with self.lock:
            job = self.jobs.get(batch_id)
            if job is None:
                return 404, b"{}"
            if not job.done:
                job.batch["status"] = "cancelled"
                job.done = True
        return 200, json.dumps(job.batch).encode()

    def _advance(self, batch_id: str) -> Job | None:
        from .fake_openai import Reply, completion, diligent_briefing

        with self.lock:
            job = self.jobs.get(batch_id)
            if job is None or job.done or time.monotonic() < job.ready_at:
                return job
            job.done = True
            answered, failed = [], []
            for n, line in enumerate(job.lines):
                custom_id, request = line["custom_id"], line["body"]
                if self.expire_after is not None and n >= self.expire_after:
                    failed.append(_error(custom_id, "batch_expired", "not done in time"))
                elif self.fail_item is not None and self.fail_item(custom_id):
                    failed.append(_error(custom_id, "server_error", "the item failed"))
                else:
                    reply = Reply(content=diligent_briefing(request["messages"]))
                    body = completion(request, reply)
                    answered.append(
                        {
                            "id": f"batch_req_{n}",
                            "custom_id": custom_id,
                            "response": {"status_code": 200, "request_id": f"r{n}", "body": body},
                            "error": None,
                        }
                    )
            batch = job.batch
            if answered:
                batch["output_file_id"] = f"file-{batch_id}-out"
                self.files[batch["output_file_id"]] = _jsonl(answered)
            if failed:
                batch["error_file_id"] = f"file-{batch_id}-err"
                self.files[batch["error_file_id"]] = _jsonl(failed)
            batch["request_counts"] = {
                "total": len(job.lines),
                "completed": len(answered),
                "failed": len(failed),
            }
            batch["status"] = "expired" if self.expire_after is not None else "completed"
            return job


def _error(custom_id: str, code: str, message: str) -> dict[str, Any]:
    return {
        "id": f"batch_req_{custom_id[:8]}",
        "custom_id": custom_id,
        "response": None,
        "error": {"code": code, "message": message},
    }


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode()
