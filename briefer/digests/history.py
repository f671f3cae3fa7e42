"""What earlier digests reported, in a local SQLite file: per day, the stories, the actors'
positions with a quote each, and the open issues.

One set of rows per day: recording a day again (a rerun, or a later run of the same day)
replaces that day's rows. WAL mode and a busy timeout let two processes share the file.
Every sqlite3 error becomes a HistoryError, so a digest can go on without its history.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import HistoryError
from ..state import create_private

_APPLICATION_ID = 0x62726668  # "brfh": marks the file as a briefer history
_SCHEMA = """
CREATE TABLE IF NOT EXISTS days (
    day TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    recorded REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS stories (
    day TEXT NOT NULL,
    headline TEXT NOT NULL,
    signature TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    articles INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS positions (
    day TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_key TEXT NOT NULL,
    stance TEXT NOT NULL,
    quote TEXT,
    headline TEXT
);
CREATE TABLE IF NOT EXISTS issues (
    day TEXT NOT NULL,
    issue TEXT NOT NULL,
    stakeholders TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS actor_names (
    day TEXT NOT NULL,
    actor_key TEXT NOT NULL,
    name_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_day ON stories (day);
CREATE INDEX IF NOT EXISTS actor_names_name ON actor_names (name_key);
CREATE INDEX IF NOT EXISTS positions_actor ON positions (actor_key, day);
CREATE INDEX IF NOT EXISTS issues_day ON issues (day);
"""


@dataclass(frozen=True)
class StoryRow:
    """A story as one day's digest reported it; `signature` holds the texts it is matched by."""

    day: str
    headline: str
    signature: list[str]
    first_seen: str
    articles: int


@dataclass(frozen=True)
class PositionRow:
    """An actor's stance as one day's digest reported it."""

    day: str
    actor: str
    actor_key: str
    stance: str
    quote: str | None
    headline: str | None


@dataclass(frozen=True)
class IssueRow:
    """An open issue as one day's digest reported it."""

    day: str
    issue: str
    stakeholders: list[str]


@dataclass(frozen=True)
class DayRecord:
    """Everything the history keeps of one day's digest."""

    day: str
    title: str
    stories: list[StoryRow] = field(default_factory=list)
    positions: list[PositionRow] = field(default_factory=list)
    issues: list[IssueRow] = field(default_factory=list)
    # (actor key, name key): the other names each actor of the day went by, so that the actor
    # is found by any of them whatever the day's label ("Donald J. Trump", "Donald Trump").
    names: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class DaySummary:
    """One line of `briefer history`."""

    day: str
    title: str
    stories: int
    positions: int
    issues: int


class History:
    """The history file. Open it with `History(path)`; close it when done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.created = not path.exists()
        try:
            create_private(path)
            self._db = sqlite3.connect(path, timeout=30.0)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"cannot open the history {path}: {exc}") from exc
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            with self._db:
                self._check_application_id()
                self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            self._db.close()
            raise HistoryError(f"the history {path} is damaged or not briefer's ({exc})") from exc

    def _check_application_id(self) -> None:
        (app_id,) = self._db.execute("PRAGMA application_id").fetchone()
        if app_id == 0:
            if self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise sqlite3.DatabaseError("a SQLite file of another program")
            self._db.execute(f"PRAGMA application_id={_APPLICATION_ID}")
        elif app_id != _APPLICATION_ID:
            raise sqlite3.DatabaseError("a SQLite file of another program")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot read the history {self.path}: {exc}") from exc

    def _json(self, text: str) -> Any:
        try:
            return json.loads(text)
        except (TypeError, ValueError) as exc:
            raise HistoryError(f"the history {self.path} holds a damaged row ({exc})") from exc

    def record(self, record: DayRecord) -> None:
        """Store one day's digest, replacing whatever the history held for that day."""
        try:
            with self._db:
                for table in ("days", "stories", "positions", "issues"):
                    self._db.execute(f"DELETE FROM {table} WHERE day = ?", (record.day,))
                self._db.execute(
                    "INSERT INTO days VALUES (?, ?, ?)", (record.day, record.title, time.time())
                )
                self._db.executemany(
                    "INSERT INTO stories VALUES (?, ?, ?, ?, ?)",
                    [
                        (s.day, s.headline, json.dumps(s.signature), s.first_seen, s.articles)
                        for s in record.stories
                    ],
                )
                self._db.executemany(
                    "INSERT INTO positions VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (p.day, p.actor, p.actor_key, p.stance, p.quote, p.headline)
                        for p in record.positions
                    ],
                )
                self._db.executemany(
                    "INSERT INTO issues VALUES (?, ?, ?)",
                    [(i.day, i.issue, json.dumps(i.stakeholders)) for i in record.issues],
                )
                self._record_names(record)
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot write the history {self.path}: {exc}") from exc

    def articles_of(self, day: str) -> int | None:
        """How many articles the history's record of `day` was made from; None when the
        history holds no such day."""
        rows = self._rows(
            "SELECT (SELECT coalesce(sum(articles), 0) FROM stories s WHERE s.day = d.day)"
            " FROM days d WHERE d.day = ?",
            (day,),
        )
        return int(rows[0][0]) if rows else None

    def forget(self, day: str) -> bool:
        """Remove one day's record; whether the history held it."""
        try:
            with self._db:
                removed = self._db.execute("DELETE FROM days WHERE day = ?", (day,)).rowcount
                for table in ("stories", "positions", "issues", "actor_names"):
                    self._db.execute(f"DELETE FROM {table} WHERE day = ?", (day,))
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot write the history {self.path}: {exc}") from exc
        return removed > 0

    def _record_names(self, record: DayRecord) -> None:
        """The day's other names of its actors (inside `record`'s transaction)."""
        self._db.execute("DELETE FROM actor_names WHERE day = ?", (record.day,))
        self._db.executemany(
            "INSERT INTO actor_names VALUES (?, ?, ?)",
            [(record.day, actor, name) for actor, name in record.names],
        )

    def days(self) -> list[DaySummary]:
        """Every day held, oldest first, with what was recorded for it."""
        rows = self._rows(
            "SELECT d.day, d.title,"
            " (SELECT count(*) FROM stories s WHERE s.day = d.day),"
            " (SELECT count(*) FROM positions p WHERE p.day = d.day),"
            " (SELECT count(*) FROM issues i WHERE i.day = d.day)"
            " FROM days d ORDER BY d.day"
        )
        return [DaySummary(*row) for row in rows]

    def previous_day(self, day: str) -> str | None:
        """The latest day before `day` that the history holds."""
        rows = self._rows("SELECT max(day) FROM days WHERE day < ?", (day,))
        return rows[0][0] if rows and rows[0][0] else None

    def stories_since(self, first: str, before: str) -> list[StoryRow]:
        """Stories of the days from `first` up to (not including) `before`, latest day first."""
        rows = self._rows(
            "SELECT day, headline, signature, first_seen, articles FROM stories"
            " WHERE day >= ? AND day < ? ORDER BY day DESC, rowid",
            (first, before),
        )
        return [StoryRow(d, h, self._json(sig), first, n) for d, h, sig, first, n in rows]

    def latest_positions(self, actor_keys: Sequence[str], before: str) -> list[PositionRow]:
        """For each actor, its positions on the latest day before `before` that reported any."""
        found: list[PositionRow] = []
        for key in dict.fromkeys(actor_keys):
            rows = self._rows(
                "SELECT day, actor, actor_key, stance, quote, headline FROM positions"
                " WHERE actor_key = ? AND day = (SELECT max(day) FROM positions"
                " WHERE actor_key = ? AND day < ?) ORDER BY rowid",
                (key, key, before),
            )
            found += [PositionRow(*row) for row in rows]
        return found

    def issues_of(self, day: str) -> list[IssueRow]:
        """The open issues of one day's digest."""
        rows = self._rows("SELECT day, issue, stakeholders FROM issues WHERE day = ?", (day,))
        return [IssueRow(d, issue, self._json(who)) for d, issue, who in rows]

    def actor_positions(self, actor_key: str) -> list[PositionRow]:
        """Every position the history holds for one actor, oldest day first: by its name or
        by any other name it went by that day; when no actor has exactly that name, those
        whose name contains it as words ("Lavrov")."""
        query = (
            "SELECT day, actor, actor_key, stance, quote, headline FROM positions"
            " WHERE {} ORDER BY day, rowid"
        )
        rows = self._rows(
            query.format(
                "actor_key = ? OR actor_key IN (SELECT n.actor_key FROM actor_names n"
                " WHERE n.name_key = ? AND n.day = positions.day)"
            ),
            (actor_key, actor_key),
        )
        if not rows and actor_key:
            rows = self._rows(
                query.format("(' ' || actor_key || ' ') LIKE ? ESCAPE '\\'"),
                (f"% {_escape_like(actor_key)} %",),
            )
        return [PositionRow(*row) for row in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
