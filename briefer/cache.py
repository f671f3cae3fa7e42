"""SQLite response cache: canonical request hash -> model reply, usage and time.

WAL mode and a busy timeout make it safe for two processes writing at once. The key is
computed by the caller from the request without the API key, which is never stored.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CacheError, CacheUnavailable
from .state import create_private

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    content TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    created REAL NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS capabilities (
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    mode TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (endpoint, model)
);
CREATE TABLE IF NOT EXISTS request_shapes (
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    shape TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (endpoint, model)
);
CREATE TABLE IF NOT EXISTS margins (
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    margin REAL NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (endpoint, model)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL,
    requests INTEGER NOT NULL,
    created REAL NOT NULL,
    imported INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS batch_items (
    key TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    PRIMARY KEY (key, batch_id)
);
"""
_LOG_COLUMNS = {"request": "TEXT", "endpoint": "TEXT", "seconds": "REAL"}
_APPLICATION_ID = 0x62726672  # "brfr": marks the file as a briefer cache


def request_key(request: dict[str, Any]) -> str:
    """Return the sha256 of the canonical JSON form of a request."""
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedResponse:
    """A stored reply and the usage it cost when it was first made."""

    content: str
    prompt_tokens: int
    completion_tokens: int
    # For `briefer logs`: the request's messages (JSON; never a key), where it went and how
    # long it took.
    request: str | None = None
    endpoint: str | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class LogEntry:
    """One stored request and its reply, as `briefer logs` shows it."""

    key: str
    model: str
    created: float
    response: CachedResponse


@dataclass(frozen=True)
class BatchRecord:
    """A Batch API job this cache is waiting for or has imported."""

    id: str
    endpoint: str
    model: str
    status: str
    requests: int
    created: float
    imported: bool


@dataclass(frozen=True)
class CacheInfo:
    """What `briefer cache info` shows."""

    path: Path
    entries: int
    size_bytes: int
    hits: int
    prompt_tokens: int
    completion_tokens: int


class Cache:
    """A response cache in one SQLite file; usable from several threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Set when a write failed (a full disk, a read-only file): the run goes on uncached.
        self.problem: str | None = None
        # Hits are counted here and written once at close: a read never writes.
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        try:
            create_private(path)
            self._db = sqlite3.connect(path, timeout=30.0, check_same_thread=False)
            self._initialise()
        except sqlite3.OperationalError as exc:
            if not _cannot_write(exc):
                raise CacheError(f"Cache {path} failed: {exc}") from exc
            raise CacheUnavailable(f"Cannot write the cache at {path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise CacheError(
                f"{path} is not a usable briefer cache ({exc}); run `briefer cache clear` to"
                " set it aside (nothing is deleted), or use --no-cache"
            ) from exc
        except OSError as exc:
            raise CacheUnavailable(f"Cannot create the cache at {path}: {exc}") from exc

    def _initialise(self) -> None:
        # Switching to WAL needs a moment of exclusive access and does not wait on the busy
        # timeout: when another process is creating the same file, retry briefly.
        for attempt in range(100):
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                with self._db:
                    self._check_application_id()
                    self._db.executescript(_SCHEMA)
                    self._add_log_columns()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
                time.sleep(0.05)

    def _add_log_columns(self) -> None:
        """Caches written before `briefer logs` existed lack its columns: add them."""
        present = {row[1] for row in self._db.execute("PRAGMA table_info(responses)")}
        for column, kind in _LOG_COLUMNS.items():
            if column not in present:
                try:
                    self._db.execute(f"ALTER TABLE responses ADD COLUMN {column} {kind}")
                except sqlite3.OperationalError as exc:
                    # Another process opening the same new cache added it first.
                    if "duplicate column" not in str(exc):
                        raise

    def _check_application_id(self) -> None:
        (app_id,) = self._db.execute("PRAGMA application_id").fetchone()
        if app_id == 0:
            tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise sqlite3.DatabaseError("a SQLite file of another program")
            self._db.execute(f"PRAGMA application_id={_APPLICATION_ID}")
        elif app_id != _APPLICATION_ID:
            raise sqlite3.DatabaseError("a SQLite file of another program")

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            try:
                rows = self._db.execute(sql, params).fetchall()
                self._db.commit()
                return rows
            except sqlite3.Error as exc:
                raise CacheError(f"Cache {self.path} failed: {exc}") from exc

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        """Run a write the run can do without: when it fails, say so once and stop writing,
        so replies already paid for still become briefings."""
        if self.problem is not None:
            return
        try:
            self._run(sql, params)
        except CacheError as exc:
            self.problem = (
                f"the response cache could not be written ({exc.__cause__ or exc}); this run's"
                " replies were not cached"
            )

    def get(self, key: str) -> CachedResponse | None:
        rows = self._run(
            "SELECT content, prompt_tokens, completion_tokens FROM responses WHERE key = ?", (key,)
        )
        if not rows:
            return None
        with self._lock:
            self._hits[key] += 1
        return CachedResponse(*rows[0])

    def peek(self, key: str) -> str | None:
        """The stored reply's content, without counting a hit (planning reads it)."""
        rows = self._run("SELECT content FROM responses WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def contains(self, key: str) -> bool:
        return bool(self._run("SELECT 1 FROM responses WHERE key = ?", (key,)))

    def put(self, key: str, model: str, response: CachedResponse) -> None:
        self._write(
            "INSERT OR REPLACE INTO responses (key, model, content, prompt_tokens,"
            " completion_tokens, created, hits, request, endpoint, seconds)"
            " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
            (
                key,
                model,
                response.content,
                response.prompt_tokens,
                response.completion_tokens,
                time.time(),
                response.request,
                response.endpoint,
                response.seconds,
            ),
        )

    def logs(
        self, limit: int = 20, model: str | None = None, containing: str | None = None
    ) -> list[LogEntry]:
        """Stored requests and replies, newest first; only `model`'s, only those whose request
        contains `containing`."""
        where, params = ["1 = 1"], []
        if model is not None:
            where.append("model = ?")
            params.append(model)
        if containing is not None:
            where.append("instr(coalesce(request, ''), ?) > 0")
            params.append(containing)
        rows = self._run(
            "SELECT key, model, created, content, prompt_tokens, completion_tokens, request,"
            f" endpoint, seconds FROM responses WHERE {' AND '.join(where)}"
            " ORDER BY created DESC, key LIMIT ?",
            (*params, limit),
        )
        return [LogEntry(row[0], row[1], row[2], CachedResponse(*row[3:])) for row in rows]

    def structured_mode(self, endpoint: str, model: str) -> str | None:
        """Return the structured-output mode this endpoint was last found to support."""
        rows = self._run(
            "SELECT mode FROM capabilities WHERE endpoint = ? AND model = ?", (endpoint, model)
        )
        return str(rows[0][0]) if rows else None

    def remember_structured_mode(self, endpoint: str, model: str, mode: str) -> None:
        self._write(
            "INSERT OR REPLACE INTO capabilities (endpoint, model, mode, updated)"
            " VALUES (?, ?, ?, ?)",
            (endpoint, model, mode, time.time()),
        )

    def request_shape(self, endpoint: str, model: str) -> str | None:
        """Return the request shape (JSON) this endpoint and model were found to take."""
        rows = self._run(
            "SELECT shape FROM request_shapes WHERE endpoint = ? AND model = ?", (endpoint, model)
        )
        return str(rows[0][0]) if rows else None

    def remember_request_shape(self, endpoint: str, model: str, shape: str) -> None:
        self._write(
            "INSERT OR REPLACE INTO request_shapes (endpoint, model, shape, updated)"
            " VALUES (?, ?, ?, ?)",
            (endpoint, model, shape, time.time()),
        )

    def token_margin(self, endpoint: str, model: str) -> float | None:
        """The factor this endpoint's token counts were found to exceed briefer's by."""
        rows = self._run(
            "SELECT margin FROM margins WHERE endpoint = ? AND model = ?", (endpoint, model)
        )
        return float(rows[0][0]) if rows else None

    def remember_token_margin(self, endpoint: str, model: str, margin: float) -> None:
        self._write(
            "INSERT OR REPLACE INTO margins (endpoint, model, margin, updated) VALUES (?, ?, ?, ?)",
            (endpoint, model, margin, time.time()),
        )

    # --- Batch API jobs: which requests each carries, so a rerun waits instead of resending --

    def record_batch(self, batch: BatchRecord, keys: list[str]) -> None:
        with self._lock:
            try:
                with self._db:
                    self._db.execute(
                        "INSERT OR REPLACE INTO batches"
                        " (id, endpoint, model, status, requests, created, imported)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            batch.id,
                            batch.endpoint,
                            batch.model,
                            batch.status,
                            batch.requests,
                            batch.created,
                            int(batch.imported),
                        ),
                    )
                    self._db.executemany(
                        "INSERT OR IGNORE INTO batch_items (key, batch_id) VALUES (?, ?)",
                        [(key, batch.id) for key in keys],
                    )
            except sqlite3.Error as exc:
                raise CacheError(f"Cache {self.path} failed: {exc}") from exc

    def update_batch(self, batch_id: str, status: str, imported: bool = False) -> None:
        self._run(
            "UPDATE batches SET status = ?, imported = max(imported, ?) WHERE id = ?",
            (status, int(imported), batch_id),
        )

    def batches(self, pending_only: bool = False) -> list[BatchRecord]:
        """Recorded batch jobs, newest first; `pending_only`: those not yet imported."""
        where = " WHERE imported = 0" if pending_only else ""
        rows = self._run(
            "SELECT id, endpoint, model, status, requests, created, imported FROM batches"
            f"{where} ORDER BY created DESC"
        )
        return [
            BatchRecord(
                id=row[0],
                endpoint=row[1],
                model=row[2],
                status=row[3],
                requests=row[4],
                created=row[5],
                imported=bool(row[6]),
            )
            for row in rows
        ]

    def batch_keys(self, batch_id: str) -> set[str]:
        return {
            row[0]
            for row in self._run("SELECT key FROM batch_items WHERE batch_id = ?", (batch_id,))
        }

    def info(self) -> CacheInfo:
        entries, hits, prompt, completion = self._run(
            "SELECT count(*), coalesce(sum(hits), 0), coalesce(sum(prompt_tokens), 0),"
            " coalesce(sum(completion_tokens), 0) FROM responses"
        )[0]
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))
        pending = sum(self._hits.values())
        return CacheInfo(self.path, entries, size, hits + pending, prompt, completion)

    def clear(self) -> int:
        """Delete every stored response; return how many there were."""
        (count,) = self._run("SELECT count(*) FROM responses")[0]
        self._hits.clear()
        self._run("DELETE FROM responses")
        self._run("DELETE FROM capabilities")
        self._run("DELETE FROM request_shapes")
        with self._lock:
            self._db.execute("VACUUM")
        return int(count)

    def close(self) -> None:
        with self._lock:
            hits, self._hits = sorted(self._hits.items()), Counter()
        if hits and self.problem is None:
            try:
                with self._lock, self._db:
                    self._db.executemany(
                        "UPDATE responses SET hits = hits + ? WHERE key = ?",
                        [(count, key) for key, count in hits],
                    )
            except sqlite3.Error:
                pass  # hit counts are statistics: never worth failing a run for
        with self._lock:
            self._db.close()


def _cannot_write(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return any(
        words in message
        for words in ("unable to open", "readonly", "read-only", "disk is full", "disk i/o")
    )


def set_aside(path: Path) -> Path:
    """Move an unusable cache file (and its WAL files) out of the way; return its new path.

    Nothing is deleted: a file of another program keeps its contents under the new name.
    """
    target = path.with_name(path.name + ".unusable")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.unusable-{number}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(target.with_name(target.name + suffix))
    path.replace(target)
    return target
