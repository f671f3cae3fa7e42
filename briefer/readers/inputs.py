"""Expand digest inputs (files, folders, globs, feeds, URL lists, URLs) into entries to brief,
and the date window that decides which of them belong to the digest."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ..errors import ConfigError, InputError, reason_of
from . import feeds, files, sources
from .fetching import Fetcher
from .sources import Article

URL_LIST_SUFFIXES = {".urls"}
# A feed is a list of today's stories, not an archive: past this, entries are not read.
MAX_FEED_ENTRIES = 500
# Teasers whose linked page is fetched, per feed; later teasers are briefed from the feed text.
MAX_FETCHES_PER_FEED = 100


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
    """Whether an input stands for many articles: a folder, a glob, a feed, a URL list, or
    stdin (which may carry any of them)."""
    if source == "-":
        return True
    if "\n" in source or len(source) >= 1024:
        return False
    suffix = Path(source.split("?")[0]).suffix.lower()
    if sources.is_url(source):
        return suffix in feeds.FEED_SUFFIXES
    path = Path(source)
    if path.is_dir() or suffix in feeds.FEED_SUFFIXES | URL_LIST_SUFFIXES:
        return True
    return files.is_glob(source)


@dataclass
class Expansion:
    """The entries an input stands for, and what was cut from it (said in the output)."""

    entries: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def expand(source: str, access: Access | None = None) -> list[Entry]:
    """The entries one input stands for; InputError when it cannot be read at all."""
    return expand_noting(source, access).entries


def expand_noting(source: str, access: Access | None = None) -> Expansion:
    """The entries one input stands for, with notes on what was cut (feed entries past the
    cap, teasers not fetched); InputError when it cannot be read at all."""
    access = access or Access()
    found = Expansion()
    if sources.is_url(source):
        data, content_type = access.fetcher.fetch(source)
        if feeds.looks_like_feed(data):
            _feed(data, source, found)
        else:
            found.entries.append(Entry(source, sources.from_bytes(data, source, content_type)))
        return found
    if source == "-":
        data = sys.stdin.buffer.read(files.MAX_INPUT_BYTES + 1)
        if len(data) > files.MAX_INPUT_BYTES:
            raise InputError("-", f"larger than {files.MAX_INPUT_BYTES // 1_048_576} MB")
        _contents(data, "-", access, found)
        return found
    path = Path(source)
    if files.is_glob(source):
        root = files.glob_root(source)
        matches = files.glob_matches(source)
        if not matches:
            raise InputError(source, "no file matches this pattern")
        _found_files(matches, root, access, found)
        return found
    if path.is_dir():
        found_files = list(files.walk(path))
        _found_files(found_files, path, access, found)
        if not found.entries and not found.notes:
            raise InputError(source, "holds no .txt, .md, .html, feed or .urls files")
        return found
    suffix = path.suffix.lower()
    if suffix in URL_LIST_SUFFIXES or suffix in feeds.FEED_SUFFIXES:
        _contents(files.read_file(path), str(path), access, found)
    else:
        found.entries.append(Entry(str(path)))
    return found


def _found_files(paths: list[Path], root: Path, access: Access, found: Expansion) -> None:
    """The entries of files a folder or glob holds: readable kinds only, contained in `root`
    unless links may be followed, read through one check (see files.read_file)."""
    readable = readable_suffixes() | URL_LIST_SUFFIXES
    for path in paths:
        if path.suffix.lower() not in readable:
            continue
        # A link in a shared folder can point at a key file anywhere on the disk; what it
        # points at would be read and sent to the model provider.
        if not access.follow_symlinks and not files.inside(path, root):
            continue
        try:
            data = files.read_file(path, None if access.follow_symlinks else root)
            _contents(data, str(path), access, found)
        except InputError as exc:
            found.entries.append(Entry(str(path), error=exc.reason))
        except Exception as exc:
            # One odd file is that file's failure, not the folder's.
            found.entries.append(Entry(str(path), error=reason_of(exc)))


def _contents(data: bytes, name: str, access: Access, found: Expansion) -> None:
    """What a file's (or stdin's) bytes hold: what its suffix says it is (a feed, a URL list),
    else by content: a feed, a URL list, or one article."""
    suffix = Path(name).suffix.lower() if name != "-" else ""
    if suffix in feeds.FEED_SUFFIXES or feeds.looks_like_feed(data):
        _feed(data, name, found)
    elif suffix in URL_LIST_SUFFIXES or _looks_like_url_list(data):
        _url_list(sources.decode(data, name), name, access, found)
    else:
        found.entries.append(Entry(name, sources.from_bytes(data, name)))


def _looks_like_url_list(data: bytes) -> bool:
    """Whether a text is only http(s) URLs, one a line (comments and blank lines aside)."""
    lines = [
        line.strip()
        for line in data[:65536].decode("utf-8", "replace").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return bool(lines) and all(sources.is_url(line) and " " not in line for line in lines)


def _url_list(text: str, name: str, access: Access, found: Expansion) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not sources.is_url(line):
            raise InputError(name, f"line {number} is not an http(s) URL: {line[:60]!r}")
        if not line.endswith((".xml", ".rss", ".atom")):
            found.entries.append(Entry(line))
            continue
        try:
            feed = expand_noting(line, access)
        except InputError as exc:
            # One dead feed in a list is that feed's failure, not the list's.
            found.entries.append(Entry(line, error=exc.reason))
        else:
            found.entries.extend(feed.entries)
            found.notes.extend(feed.notes)


def _feed(data: bytes, name: str, found: Expansion) -> None:
    if not feeds.looks_like_feed(data):
        raise InputError(name, "is not an RSS or Atom feed (it does not start with <rss or <feed)")
    items, cut = feeds.parse_some(data, name, MAX_FEED_ENTRIES)
    entries = []
    fetches = unfetched = 0
    for item in items:
        fetchable = item.link and sources.is_url(item.link)
        if item.is_teaser and item.link and fetchable and fetches < MAX_FETCHES_PER_FEED:
            fetches += 1
            fallback = item.article if item.article.text else None
            entries.append(Entry(item.link, fallback=fallback, published_at=item.published_at))
        elif item.article.text:
            unfetched += bool(item.is_teaser and fetchable)
            entries.append(Entry(item.article.path or name, item.article, None, item.published_at))
    if cut:
        found.notes.append(
            f"{name}: {cut} more feed entries were not read: a feed is read up to"
            f" {MAX_FEED_ENTRIES} entries"
        )
    if unfetched:
        found.notes.append(
            f"{name}: {unfetched} teaser(s) briefed from the feed's own text: a feed's linked"
            f" pages are fetched for at most {MAX_FETCHES_PER_FEED} teasers"
        )
    if not entries:
        raise InputError(name, "holds no entries")
    found.entries.extend(entries)


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
