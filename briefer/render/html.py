"""A digest as one standalone HTML page: inline CSS, no scripts, no external assets; readable
on a phone, printable, light and dark.

The page is a Jinja2 template (templates/digest.html) with autoescaping on, so every piece of
text from outside is escaped where the template writes it; the few helpers here that return
markup build it from escaped parts.
"""

from __future__ import annotations

import functools
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..readers.sources import is_url
from ..schema import Digest, Evidence, StanceRecord
from .digest_markdown import (
    article_numbers,
    changes_line,
    leading_positions,
    nothing_briefed,
    origin,
    overview,
    story_label,
)
from .evidence import quotation_text, shown

STORIES_SHOWN = 12
CHANGES_SHOWN = 3
TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_digest_html(digest: Digest) -> str:
    """Return the digest as a standalone HTML document."""
    numbers = article_numbers(digest)
    indexed = [a for a in digest.actors if a.positions or len(a.articles) > 1]

    def cite(ids: list[str]) -> Markup:
        return Markup(" ").join(
            Markup('<a class="ref" href="#a-{}">[{}]</a>').format(i, numbers[i])
            for i in ids
            if i in numbers
        )

    html = (
        _environment()
        .get_template("digest.html")
        .render(
            digest=digest,
            css=Markup((TEMPLATES / "digest.css").read_text(encoding="utf-8")),
            overview=overview(digest),
            nothing=nothing_briefed(digest),
            sections=_sections(digest, indexed),
            indexed=indexed,
            numbers=numbers,
            by_id={a.id: a for a in digest.articles},
            cite=cite,
            quote=_quote,
            shown=shown,
            stance=functools.partial(_stance, cite),
            origin=origin,
            is_url=is_url,
            story_label=story_label,
            changes_line=changes_line,
            leading_positions=leading_positions,
            stories_shown=STORIES_SHOWN,
            changes_shown=CHANGES_SHOWN,
        )
    )
    return str(html).strip() + "\n"


def _sections(digest: Digest, indexed: list[Any]) -> list[tuple[str, str]]:
    """The page's sections in reading order, as (anchor, heading): what changed first."""
    present = [
        ("changes", "What changed", digest.changes is not None),
        ("top-lines", "Top lines", bool(digest.top_lines)),
        ("open-issues", "Open issues", bool(digest.open_issues)),
        ("stories", "Stories", bool(digest.stories)),
        ("actors", "Actors", bool(indexed)),
        ("articles", "Articles", bool(digest.articles)),
        ("not-briefed", "Not briefed", bool(digest.failures)),
        ("notes", "Notes", bool(digest.warnings)),
    ]
    return [(key, label) for key, label, shown in present if shown]


def _quote(evidence: Evidence, href: str | None) -> Markup:
    words = quotation_text(evidence)
    inner = (
        f"“{escape(' '.join(words.split()))}”"
        if words is not None
        else escape(" ".join(evidence.quote.split()))
    )
    if href:
        inner = f'<a href="{escape(href)}">{inner}</a>'
    return Markup(f"<blockquote>{inner}</blockquote>")


def _stance(cite: Any, record: StanceRecord) -> Markup:
    source = f" · {escape(record.headline)}" if record.headline else ""
    cited = cite([record.article]) if record.article else ""
    quote = (
        f"<blockquote>{escape(' '.join(record.quote.split()))}</blockquote>" if record.quote else ""
    )
    return Markup(
        f'<p><span class="meta">{escape(record.day)}{source}</span><br>'
        f"{escape(record.stance)} {cited}</p>{quote}"
    )
