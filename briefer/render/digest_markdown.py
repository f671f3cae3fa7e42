"""Markdown rendering of a digest."""

from __future__ import annotations

from collections.abc import Callable

from ..schema import ActorPosition, Changes, Digest, DigestArticle, IndexedActor, Story
from .evidence import shown
from .markdown import md, md_code, md_list, quote_markdown

# The actor index shows an actor's leading positions per article; the article has them all.
POSITIONS_PER_ARTICLE = 2


def article_numbers(digest: Digest) -> dict[str, int]:
    """Reader-facing numbers of the digest's articles ([1], [2], ...) by article id."""
    return {article.id: n for n, article in enumerate(digest.articles, 1)}


def origin(article: DigestArticle) -> str:
    """'Outlet, 2026-11-24' of an article's briefed source, or its path."""
    source = article.sources[0]
    parts = [p for p in (source.outlet, source.published) if p]
    return ", ".join(parts) or source.path or "unknown source"


def leading_positions(actor: IndexedActor) -> list[ActorPosition]:
    """The actor's first POSITIONS_PER_ARTICLE positions in each article."""
    shown: list[ActorPosition] = []
    per_article: dict[str, int] = {}
    for position in actor.positions:
        per_article[position.article] = per_article.get(position.article, 0) + 1
        if per_article[position.article] <= POSITIONS_PER_ARTICLE:
            shown.append(position)
    return shown


def render_digest_markdown(digest: Digest) -> str:
    """Return the digest as one Markdown document."""
    numbers = article_numbers(digest)
    by_id = {a.id: a for a in digest.articles}

    def cite(ids: list[str]) -> str:
        return "".join(f"[{numbers[i]}]" for i in ids if i in numbers)

    lines = [f"# {md(digest.title)}", "", f"*{md(overview(digest))}*", ""]
    if note := nothing_briefed(digest):
        lines += [f"**{md(note)}**", ""]
    if digest.changes is not None:
        lines += _changes(digest.changes, cite)
    if digest.top_lines:
        lines += ["## Top lines", ""]
        lines += [f"- {md(t.line)} {cite(t.articles)}".rstrip() for t in digest.top_lines]
        lines.append("")
    if digest.stories:
        lines += ["## Stories", ""]
        for story in digest.stories:
            lead = by_id[story.articles[0]]
            heading = f"### {md(story.headline)} {cite(story.articles)}"
            if label := story_label(story):
                heading += f" · *{label}*"
            lines += [heading, "", md(lead.briefing.summary), ""]
            for article_id in story.articles[1:]:
                other = by_id[article_id]
                lines.append(
                    f"- Also: {md(other.briefing.headline)} ({md(origin(other))})"
                    f" {cite([other.id])}"
                )
            if len(story.articles) > 1:
                lines.append("")
    if digest.actors:
        lines += ["## Actors", ""]
        for actor in digest.actors:
            if not actor.positions and len(actor.articles) < 2:
                continue
            role = f" — {md(actor.role)}" if actor.role else ""
            lines.append(f"- **{md(actor.name)}**{role} {cite(actor.articles)}")
            for position in leading_positions(actor):
                lines.append(f"  - {md(position.stance)} {cite([position.article])}")
                quoted = shown(position.evidence, context=False)[:1]
                lines += [f"    > {quote_markdown(e)}" for e in quoted]
            for contradiction in actor.contradictions:
                lines.append(f"  - ⚠ {md(contradiction.note)} {cite(contradiction.articles)}")
        lines.append("")
    if digest.open_issues:
        lines += ["## Open issues", ""]
        for issue in digest.open_issues:
            who = f" ({md_list(issue.stakeholders)})" if issue.stakeholders else ""
            lines.append(f"- {md(issue.issue)}{who} {cite(issue.articles)}")
        lines.append("")
    if digest.articles:
        lines += ["## Articles", ""]
        for article in digest.articles:
            lines.append(f"{numbers[article.id]}. {_article_line(article)}")
        lines.append("")
    if digest.failures:
        lines += ["## Not briefed", ""]
        lines += [f"- {md_code(f.source)}: {md(f.reason)}" for f in digest.failures]
        lines.append("")
    if digest.warnings:
        lines += ["## Notes", ""]
        lines += [f"- {md(w)}" for w in digest.warnings]
        lines.append("")
    return "\n".join(lines)


def story_label(story: Story) -> str | None:
    """'New', 'Continuing since DAY', or None without a history."""
    if story.status == "new":
        return "New"
    if story.status == "continuing":
        return f"Continuing since {md(story.first_seen)}" if story.first_seen else "Continuing"
    return None


def changes_line(changes: Changes) -> str:
    """One sentence: what today's digest is compared with, and how many stories continue."""
    if changes.previous_day is None:
        return "No earlier digest in the history: every story is new."
    return (
        f"Compared with the digest of {changes.previous_day}: {changes.continuing_stories}"
        f" continuing stor{'y' if changes.continuing_stories == 1 else 'ies'},"
        f" {changes.new_stories} new."
    )


def _changes(changes: Changes, cite: Callable[[list[str]], str]) -> list[str]:
    lines = ["## What changed", "", md(changes_line(changes)), ""]
    if changes.positions:
        lines += ["### Positions that changed", ""]
        for change in changes.positions:
            before, after = change.before, change.after
            note = f" — {md(change.note)}" if change.note else ""
            lines.append(f"- **{md(change.actor)}**{note}")
            lines.append(f"  - {md(before.day)}: {md(before.stance)}")
            if before.quote:
                lines.append(f"    > {md(before.quote)}")
            cited = cite([after.article]) if after.article else ""
            lines.append(f"  - {md(after.day)}: {md(after.stance)} {cited}".rstrip())
            if after.quote:
                lines.append(f"    > {md(after.quote)}")
        lines.append("")
    if changes.issues:
        lines += ["### Open issues since settled or no longer mentioned", ""]
        for issue in changes.issues:
            status = "settled" if issue.status == "settled" else "not mentioned today"
            lines.append(
                f"- *{status}* — {md(issue.issue)} (open on {md(issue.day)}) {cite(issue.articles)}"
            )
        lines.append("")
    return lines


def _article_line(article: DigestArticle) -> str:
    source = article.sources[0]
    line = f"{md(source.title or article.briefing.headline)} — {md(origin(article))}"
    if source.path:
        line += f" · {md_code(source.path)}"
    if len(article.sources) > 1:
        others = md_list([s.outlet or s.path or "?" for s in article.sources[1:]])
        line += f" (also carried by: {others})"
    return line


def overview(digest: Digest) -> str:
    """One line: date, counts, what was set aside, engine."""
    usage = digest.usage
    parts = [digest.date] if digest.date else []
    parts.append(
        f"{counted(len(digest.articles), 'article')} in {counted(len(digest.stories), 'story')}"
    )
    if digest.skipped.duplicates:
        parts.append(f"{counted(digest.skipped.duplicates, 'duplicate')} folded in")
    if digest.skipped.outside_window:
        parts.append(f"{digest.skipped.outside_window} outside the date window")
    if digest.failures:
        parts.append(f"{len(digest.failures)} not briefed")
    engine = usage.engine + (f" · {usage.model}" if usage.model else "")
    if usage.engine == "llm":
        engine += f" · {counted(usage.calls, 'call')}, {usage.cached_calls} cached"
    parts.append(engine)
    return " · ".join(parts)


def nothing_briefed(digest: Digest) -> str | None:
    """'No articles for DAY.' and why, when the digest holds none; None otherwise."""
    if digest.articles:
        return None
    why = []
    if digest.skipped.outside_window:
        why.append(f"{digest.skipped.outside_window} outside the date window")
    if digest.failures:
        why.append(f"{len(digest.failures)} could not be briefed")
    return f"No articles for {digest.date or 'this digest'}" + (
        f" ({', '.join(why)})." if why else "."
    )


def counted(number: int, noun: str) -> str:
    """'1 article', '2 articles', '1 story', '3 stories'."""
    if number == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2] not in "aeiou" else noun + "s"
    return f"{number} {plural}"
