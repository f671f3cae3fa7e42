"""A digest as one standalone HTML page: inline CSS, no scripts, no external assets; readable
on a phone, printable, light and dark. Every piece of article text is escaped."""

from __future__ import annotations

from html import escape

from ..readers.sources import is_url
from ..schema import Changes, Digest, DigestArticle, Evidence, IndexedActor, StanceRecord, Story
from .digest_markdown import (
    article_numbers,
    changes_line,
    leading_positions,
    origin,
    overview,
    story_label,
)

_CSS = """
:root { color-scheme: light dark; --fg: #1d1f23; --muted: #5b616b; --bg: #fdfdfc;
  --card: #f3f4f1; --accent: #1f5fa8; --warn: #9a4a00; --rule: #d9dbd6; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e7e3; --muted: #a3a8b0; --bg: #15171a; --card: #1f2226;
    --accent: #8cb8ef; --warn: #f0a35e; --rule: #353a40; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.55;
  font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  overflow-wrap: anywhere; }
.page { max-width: 46rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.2; margin: 0.2rem 0 0.4rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 0.8rem; padding-bottom: 0.25rem;
  border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; line-height: 1.3; }
h4 { font-size: 0.9rem; text-transform: uppercase; letter-spacing: 0.04em;
  color: var(--muted); margin: 1rem 0 0.3rem; }
p, ul, ol { margin: 0.4rem 0; }
ul, ol { padding-left: 1.3rem; }
li { margin: 0.3rem 0; }
a { color: var(--accent); }
.meta { color: var(--muted); font-size: 0.9rem; }
nav { font-size: 0.9rem; margin: 0.8rem 0; }
nav a { margin-right: 0.9rem; white-space: nowrap; }
.ref { font-size: 0.8rem; text-decoration: none; white-space: nowrap; }
.card { background: var(--card); border-radius: 8px; padding: 0.8rem 1rem; margin: 0.9rem 0; }
.card > h3:first-child { margin-top: 0.2rem; }
blockquote { margin: 0.3rem 0 0.5rem; padding: 0.1rem 0 0.1rem 0.8rem;
  border-left: 3px solid var(--rule); color: var(--muted); font-size: 0.95rem; }
blockquote a { color: inherit; text-decoration: none; }
blockquote a:hover { text-decoration: underline; }
.warn { color: var(--warn); }
.kind { color: var(--muted); font-size: 0.8rem; }
.badge { font-size: 0.75rem; font-weight: 600; padding: 0.05rem 0.45rem; border-radius: 1rem;
  border: 1px solid var(--rule); color: var(--muted); white-space: nowrap; }
.badge.new { color: var(--accent); border-color: var(--accent); }
details > summary { cursor: pointer; }
details.index > summary { color: var(--accent); margin: 0.4rem 0; }
article.card > details > summary { list-style-position: outside; }
article.card > details > summary h3 { display: inline; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 0.85rem; }
@media print {
  :root { --fg: #000; --muted: #444; --bg: #fff; --card: #fff; --accent: #000; --rule: #999; }
  body { font-size: 11pt; }
  nav { display: none; }
  .page { max-width: none; padding: 0; }
  .card, .story, .actor { break-inside: avoid; border: 1px solid var(--rule); }
  h2 { break-after: avoid; }
}
"""


STORIES_SHOWN = 12
CHANGES_SHOWN = 3


class _Page:
    """Renders the parts of one digest page; knows each article's number for citations."""

    def __init__(self, digest: Digest) -> None:
        self.digest = digest
        self.numbers = article_numbers(digest)
        self.by_id = {a.id: a for a in digest.articles}

    def cite(self, ids: list[str]) -> str:
        return " ".join(
            f'<a class="ref" href="#a-{i}">[{self.numbers[i]}]</a>'
            for i in ids
            if i in self.numbers
        )

    def quote(self, evidence: Evidence, href: str | None) -> str:
        text = escape(" ".join(evidence.quote.split()))
        mark = "“{}”" if evidence.direct else "{}"
        inner = f'<a href="{escape(href)}">{mark.format(text)}</a>' if href else mark.format(text)
        return f"<blockquote>{inner}</blockquote>"

    def sections(self) -> list[tuple[str, str, str]]:
        digest = self.digest
        found: list[tuple[str, str, str]] = []
        if digest.changes is not None:
            found.append(("changes", "What changed", self.changes(digest.changes)))
        if digest.top_lines:
            items = "".join(
                f"<li>{escape(t.line)} {self.cite(t.articles)}</li>" for t in digest.top_lines
            )
            found.append(("top-lines", "Top lines", f"<ol>{items}</ol>"))
        # Open issues (ten at most) before the stories: on a phone they stay a few screens
        # from the top however many stories the day has.
        if digest.open_issues:
            items = "".join(
                f"<li>{escape(i.issue)}{_stakeholders(i.stakeholders)} {self.cite(i.articles)}</li>"
                for i in digest.open_issues
            )
            found.append(("open-issues", "Open issues", f"<ul>{items}</ul>"))
        if digest.stories:
            found.append(("stories", "Stories", self.stories(digest.stories)))
        # The reference parts fold away, so the page reads in minutes and the open issues sit
        # near the top on a phone; a citation still lands on its article's (visible) heading.
        shown = [a for a in digest.actors if a.positions or len(a.articles) > 1]
        if shown:
            body = "".join(self.actor(a) for a in shown)
            summary = f"Show the index of {len(shown)} actors and their positions"
            found.append(
                (
                    "actors",
                    "Actors",
                    f'<details class="index"><summary>{summary}</summary>{body}</details>',
                )
            )
        if digest.articles:
            found.append(
                ("articles", "Articles", "".join(self.article(a) for a in digest.articles))
            )
        if digest.failures:
            items = "".join(
                f"<li><code>{escape(f.source)}</code>: {escape(f.reason)}</li>"
                for f in digest.failures
            )
            found.append(("not-briefed", "Not briefed", f'<ul class="warn">{items}</ul>'))
        if digest.warnings:
            items = "".join(f"<li>{escape(w)}</li>" for w in digest.warnings)
            found.append(("notes", "Notes", f"<ul>{items}</ul>"))
        return found

    def stories(self, stories: list[Story]) -> str:
        """The leading stories in full; on a large day the rest fold, so the open issues after
        them stay within a few screens on a phone."""
        shown = "".join(self.story(s) for s in stories[:STORIES_SHOWN])
        rest = stories[STORIES_SHOWN:]
        if not rest:
            return shown
        folded = "".join(self.story(s) for s in rest)
        return (
            f'{shown}<details class="index"><summary>Show {len(rest)} more'
            f" stor{'y' if len(rest) == 1 else 'ies'}</summary>{folded}</details>"
        )

    def changes(self, changes: Changes) -> str:
        parts = [f"<p>{escape(changes_line(changes))}</p>"]
        if changes.positions:
            items = [
                f'<li class="card"><strong>{escape(change.actor)}</strong>'
                f"{_note(change.note)}{self.stance(change.before)}{self.stance(change.after)}</li>"
                for change in changes.positions
            ]
            parts.append("<h3>Positions that changed</h3>" + _folded(items, CHANGES_SHOWN, "more"))
        if changes.issues:
            items = []
            for issue in changes.issues:
                status = "settled" if issue.status == "settled" else "not mentioned today"
                items.append(
                    f'<li><span class="badge">{status}</span> {escape(issue.issue)}'
                    f' <span class="meta">(open on {escape(issue.day)})</span>'
                    f" {self.cite(issue.articles)}</li>"
                )
            parts.append(
                "<h3>Open issues since settled or no longer mentioned</h3>"
                + _folded(items, CHANGES_SHOWN, "more")
            )
        return "".join(parts)

    def stance(self, record: StanceRecord) -> str:
        source = f" · {escape(record.headline)}" if record.headline else ""
        cited = self.cite([record.article]) if record.article else ""
        quote = (
            f"<blockquote>{escape(' '.join(record.quote.split()))}</blockquote>"
            if record.quote
            else ""
        )
        return (
            f'<p><span class="meta">{escape(record.day)}{source}</span><br>'
            f"{escape(record.stance)} {cited}</p>{quote}"
        )

    def story(self, story: Story) -> str:
        lead = self.by_id[story.articles[0]]
        label = story_label(story)
        badge = (
            f' <span class="badge{" new" if story.status == "new" else ""}">{escape(label)}</span>'
            if label
            else ""
        )
        more = "".join(
            f"<li>{escape(self.by_id[i].briefing.headline)} "
            f'<span class="meta">({escape(origin(self.by_id[i]))})</span> {self.cite([i])}</li>'
            for i in story.articles[1:]
        )
        return (
            f'<div class="card story" id="s-{story.id}"><h3>{escape(story.headline)} '
            f"{self.cite(story.articles)}{badge}</h3><p>{escape(lead.briefing.summary)}</p>"
            + (f"<ul>{more}</ul>" if more else "")
            + "</div>"
        )

    def actor(self, actor: IndexedActor) -> str:
        items = ""
        for position in leading_positions(actor):
            evidence = "".join(
                self.quote(e, f"#a-{position.article}") for e in position.evidence[:2]
            )
            items += f"<li>{escape(position.stance)} {self.cite([position.article])}{evidence}</li>"
        for contradiction in actor.contradictions:
            items += (
                f'<li class="warn">⚠ {escape(contradiction.note)}'
                f" {self.cite(contradiction.articles)}</li>"
            )
        role = escape(actor.role) if actor.role else ""
        return (
            f'<div class="card actor"><h3>{escape(actor.name)}'
            f' <span class="kind">{escape(actor.kind)}</span></h3>'
            f'<p class="meta">{role} {self.cite(actor.articles)}</p>'
            f"<ul>{items}</ul></div>"
        )

    def article(self, article: DigestArticle) -> str:
        briefing = article.briefing
        source = article.sources[0]
        href = source.path if source.path and is_url(source.path) else None
        where = escape(origin(article))
        if href:
            where += f' · <a href="{escape(href)}">original</a>'
        elif source.path:
            where += f" · <code>{escape(source.path)}</code>"
        if len(article.sources) > 1:
            others = ", ".join(escape(s.outlet or s.path or "?") for s in article.sources[1:])
            where += f" · also carried by {others}"
        parts = [
            f'<article class="card" id="a-{article.id}"><details><summary>'
            f"<h3>[{self.numbers[article.id]}] {escape(briefing.headline)}</h3>"
            f'<p class="meta">{where}</p></summary><p>{escape(briefing.summary)}</p>',
        ]
        if briefing.positions:
            parts.append("<h4>Positions</h4><ul>")
            for position in briefing.positions:
                quotes = "".join(self.quote(e, href) for e in position.evidence)
                parts.append(
                    f"<li><strong>{escape(position.actor)}</strong>: "
                    f"{escape(position.stance)}{quotes}</li>"
                )
            parts.append("</ul>")
        if briefing.open_issues:
            parts.append("<h4>Open issues</h4><ul>")
            parts += [
                f"<li>{escape(i.issue)}{_stakeholders(i.stakeholders)}</li>"
                for i in briefing.open_issues
            ]
            parts.append("</ul>")
        if briefing.warnings:
            parts.append('<p class="meta">' + escape("; ".join(briefing.warnings)) + "</p>")
        parts.append("</details></article>")
        return "".join(parts)


def _folded(items: list[str], shown: int, more: str) -> str:
    """A list whose first `shown` items are visible and the rest fold."""
    head = f"<ul>{''.join(items[:shown])}</ul>"
    if len(items) <= shown:
        return head
    rest = items[shown:]
    return (
        f'{head}<details class="index"><summary>Show {len(rest)} {more}</summary>'
        f"<ul>{''.join(rest)}</ul></details>"
    )


def _note(note: str | None) -> str:
    return f" — {escape(note)}" if note else ""


def _stakeholders(names: list[str]) -> str:
    return f' <span class="meta">({escape(", ".join(names))})</span>' if names else ""


def render_digest_html(digest: Digest) -> str:
    """Return the digest as a standalone HTML document."""
    sections = _Page(digest).sections()
    nav = "".join(f'<a href="#{key}">{label}</a>' for key, label, _ in sections)
    content = "".join(
        f'<section id="{key}"><h2>{label}</h2>{body}</section>' for key, label, body in sections
    )
    if not digest.articles:
        content = "<p>No article was briefed.</p>" + content
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{escape(digest.title)}</title><style>{_CSS}</style></head>"
        f'<body><div class="page"><header><h1>{escape(digest.title)}</h1>'
        f'<p class="meta">{escape(overview(digest))}</p></header>'
        f'<nav aria-label="Sections">{nav}</nav><main>{content}</main>'
        "<footer>Made by briefer. Quotes are verbatim from the articles; in the stories and"
        " actors each links to its article.</footer></div></body></html>\n"
    )
