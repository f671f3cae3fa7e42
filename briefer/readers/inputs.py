"""Expand digest inputs (files, folders, globs, feeds, URL lists, URLs) into entries to brief,
and the date window that decides which of them belong to the digest."""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ..errors import ConfigError, InputError
from . import feeds, sources
from .fetching import Fetcher
from .sources import Article

URL_LIST_SUFFIXES = {".urls"}
# A feed is a list of today's stories, not an archive: past this, entries are not read.
MAX_FEED_ENTRIES = 500
# Teasers whose linked page is fetched, per feed; later teasers are briefed from the feed text.
MAX_FETCHES_PER_FEED = 100
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Entry:
    """One thing to brief: a location to read, or an article a feed already carried.

    A feed teaser keeps its link as `location` and its own text as `fallback`, used when the
    link cannot be fetched.
    """

    location: str
    article: Article | None = None
    fallback: Article | None = None
    published_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True)
class Access:
    """What reading inputs may reach: URLs through one fetcher (its policy and budget), and
    files that symbolic links inside a folder point to outside it."""

    fetcher: Fetcher = field(default_factory=Fetcher)
    follow_symlinks: bool = False


_RELATIVE_DAYS = {"today": 0, "yesterday": 1}
_SPAN = re.compile(r"^(\d+)\s*([mhdw])$", re.IGNORECASE)
_SPAN_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _moment(text: str, now: datetime) -> datetime:
    """The moment --since names: a span back from `now`, a day's local midnight, or an ISO
    date and time (UTC unless it says otherwise)."""
    value = text.strip().lower()
    if span := _SPAN.match(value):
        return now - timedelta(**{_SPAN_UNITS[span.group(2)]: int(span.group(1))})
    if value in _RELATIVE_DAYS:
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight - timedelta(days=_RELATIVE_DAYS[value])
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    """The days a digest covers: one calendar day, or everything since a moment."""

    day: date | None = None
    since: datetime | None = None

    @classmethod
    def parse(cls, day: str | None, since: str | None, now: datetime | None = None) -> Window:
        """The window of --date (YYYY-MM-DD, today, yesterday) or --since (a date and time,
        a span back from now such as 24h, 90m or 7d, today or yesterday: from its local
        midnight)."""
        if day and since:
            raise ConfigError("use either --date or --since, not both")
        now = (now or datetime.now(UTC)).astimezone()
        try:
            if day:
                relative = _RELATIVE_DAYS.get(day.strip().lower())
                if relative is not None:
                    return cls(day=(now - timedelta(days=relative)).date())
                return cls(day=date.fromisoformat(day))
            if since:
                return cls(since=_moment(since, now))
        except ValueError:
            value = day or since
            raise ConfigError(
                f"{value!r} is not a date (YYYY-MM-DD, today, yesterday), a date and time"
                " (YYYY-MM-DDTHH:MM) or a span back from now (24h, 90m, 7d)"
            ) from None
        return cls()

    def admits(self, published: str | None, published_at: datetime | None) -> bool:
        """Whether an article published then is inside the window; undated ones are admitted."""
        if self.day is None and self.since is None:
            return True
        if published_at is None and published is None:
            return True
        if published_at is None:
            assert published is not None
            published_at = datetime.fromisoformat(published).replace(tzinfo=UTC)
            if self.since is not None:
                # Only the day is known: admit it when the window reaches into that day.
                return published_at + timedelta(days=1) > self.since
        if self.day is not None:
            return published_at.date() == self.day
        assert self.since is not None
        return published_at >= self.since


def readable_suffixes() -> frozenset[str]:
    """File suffixes briefer reads: every registered reader's, and feeds'."""
    return frozenset(feeds.FEED_SUFFIXES).union(*(r.suffixes for r in sources.READERS))


def names_a_file(source: str) -> bool:
    """Whether a string given as an input names a file rather than being the text itself."""
    if "\n" in source or len(source) >= 1024:
        return False
    path = Path(source)
    return path.suffix.lower() in readable_suffixes() or path.exists()


def is_collection(source: str) -> bool:
    """Whether an input stands for many articles: a folder, a glob, a feed, a URL list."""
    if source == "-" or "\n" in source or len(source) >= 1024:
        return False
    suffix = Path(source.split("?")[0]).suffix.lower()
    if sources.is_url(source):
        return suffix in feeds.FEED_SUFFIXES
    path = Path(source)
    if path.is_dir() or suffix in feeds.FEED_SUFFIXES | URL_LIST_SUFFIXES:
        return True
    return not path.exists() and bool(_GLOB_CHARS & set(source))


def expand(source: str, access: Access | None = None) -> list[Entry]:
    """The entries one input stands for; InputError when it cannot be read at all."""
    access = access or Access()
    if sources.is_url(source):
        return _expand_url(source, access)
    if source == "-":
        return [Entry("-")]
    path = Path(source)
    if not path.exists() and _GLOB_CHARS & set(source):
        matches = sorted(glob.glob(source, recursive=True))
        if not matches:
            raise InputError(source, "no file matches this pattern")
        return [
            entry for match in matches for entry in _expand_path(Path(match), access, top=False)
        ]
    return _expand_path(path, access, top=True)


def _expand_path(path: Path, access: Access, top: bool) -> list[Entry]:
    if path.is_dir():
        return [Entry(str(file)) for file in _readable_files(path, access.follow_symlinks)]
    suffix = path.suffix.lower()
    if suffix in URL_LIST_SUFFIXES:
        return _url_list(path, access)
    if suffix in feeds.FEED_SUFFIXES:
        return _feed(sources.read_bytes(path), str(path))
    if not top and suffix not in readable_suffixes():
        return []
    return [Entry(str(path))]


def _readable_files(folder: Path, follow_symlinks: bool) -> list[Path]:
    """Files briefer can read under `folder`, recursively, in name order; hidden ones skipped,
    and links that lead out of the folder too unless `follow_symlinks`."""
    inside = folder.resolve()
    readable = readable_suffixes()
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if not path.is_file() or path.suffix.lower() not in readable:
            continue
        # A link in a shared folder can point at a key file anywhere on the disk; what it
        # points at would be read and sent to the model provider.
        if not follow_symlinks and not path.resolve().is_relative_to(inside):
            continue
        found.append(path)
    if not found:
        raise InputError(str(folder), "holds no .txt, .md, .html or feed files")
    return found


def _url_list(path: Path, access: Access) -> list[Entry]:
    text = sources.decode(sources.read_bytes(path), str(path))
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not sources.is_url(line):
            raise InputError(str(path), f"line {number} is not an http(s) URL: {line[:60]!r}")
        if not line.endswith((".xml", ".rss", ".atom")):
            entries.append(Entry(line))
            continue
        try:
            entries.extend(expand(line, access))
        except InputError as exc:
            # One dead feed in a list is that feed's failure, not the list's.
            entries.append(Entry(line, error=exc.reason))
    return entries


def _expand_url(url: str, access: Access) -> list[Entry]:
    data, content_type = access.fetcher.fetch(url)
    if feeds.looks_like_feed(data):
        return _feed(data, url)
    article = sources.from_bytes(data, url, content_type)
    return [Entry(url, article=article)]


def _feed(data: bytes, name: str) -> list[Entry]:
    if not feeds.looks_like_feed(data):
        raise InputError(name, "is not an RSS or Atom feed (it does not start with <rss or <feed)")
    entries = []
    fetches = 0
    for item in feeds.parse(data, name, MAX_FEED_ENTRIES):
        fetchable = item.link and sources.is_url(item.link)
        if item.is_teaser and item.link and fetchable and fetches < MAX_FETCHES_PER_FEED:
            fetches += 1
            fallback = item.article if item.article.text else None
            entries.append(Entry(item.link, fallback=fallback, published_at=item.published_at))
        elif item.article.text:
            entries.append(Entry(item.article.path or name, item.article, None, item.published_at))
    if not entries:
        raise InputError(name, "holds no entries")
    return entries


def read(entry: Entry, access: Access | None = None) -> tuple[Article, bool]:
    """The entry's article, and whether it is a feed teaser read because its link failed."""
    if entry.error is not None:
        raise InputError(entry.location, entry.error)
    if entry.article is not None:
        return entry.article, False
    try:
        article = sources.load(entry.location, (access or Access()).fetcher)
    except InputError:
        if entry.fallback is None:
            raise
        return entry.fallback, True
    if entry.fallback is not None:
        # The feed knows the title and date better than the fetched page's metadata.
        article = Article(
            text=article.text,
            path=entry.location,
            title=entry.fallback.title or article.title,
            outlet=entry.fallback.outlet or article.outlet,
            published=entry.fallback.published or article.published,
        )
    return article, False
