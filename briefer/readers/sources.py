"""Read inputs (files, stdin, URLs; text, Markdown, HTML) into normalised Articles."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from ..errors import InputError
from ..sanitize import one_line
from ..schema import Source
from .fetching import Fetcher
from .files import MAX_INPUT_BYTES, read_file

# Far past any article (a 7,000-word long read is ~45,000); past this, split the document.
MAX_ARTICLE_CHARS = 1_000_000
# Metadata from feeds and pages is one line each, and short: it goes into every prompt.
MAX_TITLE_CHARS = 300
MAX_OUTLET_CHARS = 120
MIN_HTML_WORDS = 12
MAX_HTML_BYTES = 4 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}

_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"7z\xbc\xaf",
)
_META_LINE = re.compile(
    r"^(?P<key>source|outlet|published|date|by|author)\s*:\s*(?P<value>.+)$", re.IGNORECASE
)


@dataclass(frozen=True)
class Article:
    """An article's normalised text and what is known of its origin; `id` hashes the text."""

    text: str
    path: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None

    def __post_init__(self) -> None:
        # The one place metadata from outside is made safe to print and to prompt with.
        object.__setattr__(self, "title", one_line(self.title, MAX_TITLE_CHARS))
        object.__setattr__(self, "outlet", one_line(self.outlet, MAX_OUTLET_CHARS))

    @property
    def id(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @classmethod
    def from_text(cls, raw: str, path: str | None = None) -> Article:
        """Build an article from plain text or Markdown, taking a leading title and metadata."""
        return _from_plain_text(normalise(raw), path)


def source_of(article: Article, tokens: int) -> Source:
    """The contract's `source` block for an article of `tokens` tokens."""
    return Source(
        id=article.id,
        path=article.path,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        tokens=tokens,
    )


def normalise(text: str) -> str:
    """NFC, Unix newlines, no trailing spaces, no control characters, stripped."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def load(source: str, fetcher: Fetcher | None = None) -> Article:
    """Read one input: '-' for stdin, an http(s) URL (through `fetcher`), or a file path."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        return from_bytes(data, "-")
    if is_url(source):
        return _from_url(source, fetcher)
    return load_file(Path(source))


def is_url(source: str) -> bool:
    """True for an http(s) URL: the one test of it, for every place that needs it."""
    return source.startswith(("http://", "https://"))


def load_file(path: Path) -> Article:
    """Read a file into an Article with the reader its suffix or content calls for."""
    return from_bytes(read_bytes(path), str(path))


@dataclass(frozen=True)
class Reader:
    """How one kind of input becomes an Article, and how to recognise it: by the content type
    a server names, else the name's suffix, else its first bytes.

    A new input kind is one Reader passed to `register` (its `read` gets the raw bytes).
    """

    name: str
    read: Callable[[bytes, str], Article]
    suffixes: frozenset[str] = frozenset()
    content_types: tuple[str, ...] = ()
    magic: tuple[bytes, ...] = ()


READERS: list[Reader] = []


def register(reader: Reader) -> None:
    """Add a reader; one registered later wins over those before it."""
    READERS.insert(0, reader)


def reader_for(name: str, data: bytes, content_type: str | None = None) -> Reader:
    """The reader for an input named `name` (a path or URL) holding `data`."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind:
        for reader in READERS:
            if kind in reader.content_types:
                return reader
    suffix = PurePosixPath(name.split("?")[0].split("#")[0]).suffix.lower()
    for reader in READERS:
        if suffix in reader.suffixes:
            return reader
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for reader in READERS:
        if any(head.startswith(magic) for magic in reader.magic):
            return reader
    return READERS[-1]  # the first registered: plain text, which refuses what is binary


def read_bytes(path: Path) -> bytes:
    """Return a file's bytes; InputError when it is missing, a folder, too large or unreadable."""
    return read_file(path)


def _from_url(url: str, fetcher: Fetcher | None) -> Article:
    data, content_type = (fetcher or Fetcher()).fetch(url)
    return from_bytes(data, url, content_type)


def from_bytes(data: bytes, name: str, content_type: str | None = None) -> Article:
    """Parse an input's bytes with the reader its content type, name or content calls for."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(name, f"larger than {MAX_INPUT_BYTES // 1_048_576} MB")
    article = reader_for(name, data, content_type).read(data, name)
    if not article.text:
        raise InputError(name, "holds no article text")
    _check_length(len(article.text), name)
    return article


def _read_text(data: bytes, name: str) -> Article:
    """Plain text or Markdown: a leading title, Outlet/Published lines, the body."""
    text = _decoded(data, name)
    # Refused before normalising: the work on a text this long is what costs.
    _check_length(len(text), name)
    return _from_plain_text(normalise(text), name)


def _read_html(data: bytes, name: str) -> Article:
    """A web page: its main text (trafilatura), title, site name and date."""
    # Extraction time grows faster than the page (19 MB of markup: minutes); a news page is
    # well under this, scripts and all.
    if len(data) > MAX_HTML_BYTES:
        raise InputError(
            name,
            f"an HTML page over {MAX_HTML_BYTES // 1_048_576} MB is not read; save the"
            " article's text and brief that",
        )
    return _from_html(_decoded(data, name), name)


def _decoded(data: bytes, name: str) -> str:
    text = decode(data, name)
    if not text.strip():
        raise InputError(name, "is empty")
    return text


def _check_length(characters: int, name: str) -> None:
    if characters > MAX_ARTICLE_CHARS:
        raise InputError(
            name,
            f"is too long for one article ({characters:,} characters; the limit is"
            f" {MAX_ARTICLE_CHARS:,}): split it into parts",
        )


def decode(data: bytes, name: str) -> str:
    """Decode bytes: BOM-marked UTF-8/16/32, else UTF-8, else cp1252, else latin-1."""
    if data.startswith(_BINARY_MAGIC):
        raise InputError(name, "is a binary file (PDF, image or archive), not text")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(
                    name, f"is not valid {codec} despite its byte-order mark"
                ) from None
    if b"\x00" in data[:8192]:
        raise InputError(name, "is a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    controls = sum(
        1 for c in text[:8192] if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f"
    )
    if controls > max(8, len(text[:8192]) // 100):
        raise InputError(name, "is a binary file, not text")
    return text


def _from_plain_text(text: str, path: str | None) -> Article:
    """Take YAML front matter, or a leading title line (plain or '# Markdown') with
    'Outlet:'/'Published:' lines under it."""
    lines = text.split("\n")
    fields, lines = _front_matter(lines)
    title = fields.get("title")
    outlet = fields.get("source") or fields.get("outlet") or fields.get("publisher")
    published = fields.get("published") or fields.get("date")
    first = lines[0].strip() if lines else ""
    # The lines under the first: blank ones and metadata, up to the body.
    end = 1
    while end < len(lines) and (not lines[end].strip() or _META_LINE.match(lines[end].strip())):
        end += 1
    header = [m for line in lines[1:end] if (m := _META_LINE.match(line.strip()))]
    looks_like_title = first.startswith("# ") or (
        len(first) <= 160
        and end < len(lines)
        # Metadata under it makes the first line a title whatever it ends with; without
        # any, a line ending a sentence is more likely a one-line first paragraph.
        and (bool(header) or (end > 1 and not first.endswith((".", ":", '"', "”"))))
    )
    body_start = 0
    if looks_like_title and len(lines) > 1:
        title = title or first.lstrip("#").strip()
        body_start = end
        for match in header:
            key, value = match["key"].lower(), match["value"].strip()
            if key in ("source", "outlet"):
                outlet = outlet or value
            elif key in ("published", "date"):
                published = published or value
    body = "\n".join(lines[body_start:]).strip()
    return Article(
        text=body,
        path=path,
        title=title,
        outlet=outlet,
        published=parse_date(published) if published else None,
    )


# A YAML front matter block: '---' on the first line, 'key: value' lines, '---' or '...'.
_FRONT_MATTER_LINES = 60
_FRONT_MATTER_FIELD = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The front matter's plain `key: value` fields (lower-cased keys, quotes removed) and the
    lines after it; no fields and the lines unchanged when the text has none."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    fields: dict[str, str] = {}
    for number, line in enumerate(lines[1:_FRONT_MATTER_LINES], 1):
        if line.strip() in ("---", "..."):
            rest = lines[number + 1 :]
            while rest and not rest[0].strip():
                rest = rest[1:]
            return fields, rest
        match = _FRONT_MATTER_FIELD.match(line)
        if match and match["key"].lower() not in fields:
            value = match["value"].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields[match["key"].lower()] = value
    return {}, lines


def _from_html(html: str, name: str) -> Article:
    import trafilatura

    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True
    )
    if document is None:
        raise InputError(name, "holds no article text (the HTML has no main content)")
    text = normalise(getattr(document, "text", None) or "")
    if len(text.split()) < MIN_HTML_WORDS:
        # What is left of a page without an article is a menu item or a cookie notice.
        raise InputError(name, "holds no article text (the HTML has no main content)")
    title = getattr(document, "title", None) or None
    if title and text.startswith(title + "\n"):
        # The page's own heading repeats the title; as body text it would run into the lead.
        text = text[len(title) :].lstrip()
    published = getattr(document, "date", None)
    return Article(
        text=text,
        path=name,
        title=title,
        outlet=getattr(document, "sitename", None) or None,
        published=parse_date(published) if published else None,
    )


def parse_date(value: str) -> str | None:
    """Return YYYY-MM-DD for a date written in any common form (ISO, '14 April 2008',
    'April 14, 2008', RFC 822), else None; a date missing its year, month or day is None."""
    from dateutil import parser

    # Parsed twice against two different defaults: a part the text lacks shows as a difference.
    try:
        first, second = (
            parser.parse(value, fuzzy=True, default=default)
            for default in (datetime(2001, 1, 1), datetime(2002, 2, 2))
        )
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():
        return None
    return first.date().isoformat()


register(
    Reader(
        "text",
        _read_text,
        frozenset(TEXT_SUFFIXES - {""}),
        ("text/plain", "text/markdown"),
    )
)
register(
    Reader(
        "html",
        _read_html,
        frozenset(HTML_SUFFIXES),
        ("text/html", "application/xhtml+xml"),
        (b"<!doctype html", b"<html", b"<head", b"<body"),
    )
)
