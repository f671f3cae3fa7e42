"""RSS and Atom feeds (feedparser) read into articles, one per entry."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..errors import InputError
from .sources import Article, normalise

FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
# Below this many words an entry is a teaser: the linked page is the article.
TEASER_WORDS = 120
# An XML declaration, comments and a plain DOCTYPE (RSS 0.91 names its DTD) may come first;
# a DOCTYPE with an internal subset ([...]) is where entity bombs live, and is not a feed here.
_FEED_START = re.compile(
    rb"\s*(<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^\[>]*>)\s*)*<(rss|feed|rdf:RDF)\b",
    re.S | re.I,
)
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: its text as an Article, the link to the full story, its exact time."""

    article: Article
    link: str | None
    published_at: datetime | None

    @property
    def is_teaser(self) -> bool:
        return len(self.article.text.split()) < TEASER_WORDS


def looks_like_feed(data: bytes) -> bool:
    """True when the bytes start like an RSS, Atom or RDF document."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return _FEED_START.match(head) is not None


# Where an entry starts, in RSS (item) and Atom (entry); and how each root element closes.
_ENTRY_START = re.compile(rb"<(?:\w+:)?(?:item|entry)[\s>/]", re.IGNORECASE)
_CLOSING = {b"rss": b"</channel></rss>", b"feed": b"</feed>", b"rdf:RDF": b"</rdf:RDF>"}


def parse_some(data: bytes, name: str, limit: int) -> tuple[list[FeedEntry], int]:
    """A feed's first `limit` entries, and how many more it holds. The document is cut
    before the entry past the limit, so a feed of a million items costs what `limit` do."""
    starts = _ENTRY_START.finditer(data)
    cut_at = next((m.start() for n, m in enumerate(starts) if n == limit), None)
    if cut_at is None:
        return parse(data, name, limit), 0
    rest = sum(1 for _ in _ENTRY_START.finditer(data, cut_at))
    root = _FEED_START.match(data[:4096].lstrip(b"\xef\xbb\xbf"))
    closing = _CLOSING.get(root.group(2) if root else b"", b"")
    return parse(data[:cut_at] + closing, name, limit), rest


def parse(data: bytes, name: str, limit: int | None = None) -> list[FeedEntry]:
    """Return a feed's first `limit` entries; InputError when it is not a feed."""
    import feedparser

    parsed: Any = feedparser.parse(data)
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = type(parsed.get("bozo_exception")).__name__
            raise InputError(name, f"is not a valid RSS or Atom feed ({reason})")
        if not parsed.get("version"):
            raise InputError(name, "is not an RSS or Atom feed")
        return []
    outlet = parsed.feed.get("title") or None
    entries = []
    for number, entry in enumerate(parsed.entries[:limit], 1):
        text = _entry_text(entry)
        link = entry.get("link") or None
        if not text and not link:
            continue
        published_at = _entry_time(entry)
        article = Article(
            text=text,
            path=link or f"{name}#{number}",
            title=normalise(entry.get("title") or "") or None,
            outlet=outlet,
            published=published_at.date().isoformat() if published_at else None,
        )
        entries.append(FeedEntry(article, link, published_at))
    return entries


def _entry_text(entry: Any) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) or []]
    html = max(contents, key=len) if contents else ""
    summary = entry.get("summary", "") or ""
    if len(summary) > len(html):
        html = summary
    return fragment_text(html)


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment, paragraphs kept apart."""
    if "<" not in html:
        return normalise(html)
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types on junk; the raw text is the fallback
        return normalise(re.sub(r"<[^>]+>", " ", html))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    return normalise(re.sub(r"[ \t]+", " ", text))


def _entry_time(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        # feedparser gives UTC struct_time.
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None  # a date out of range is no date: the entry is kept, undated
