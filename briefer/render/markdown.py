"""Markdown rendering of a briefing."""

from __future__ import annotations

import re

from ..schema import Briefing, Evidence
from .evidence import quotation_text, shown

# Every character that can open Markdown or HTML markup: links and images, raw HTML, code,
# emphasis, tables. Escaped, they print as themselves.
_MARKUP = re.compile(r"([\\`*_\[\]<>|])")
# What makes a line a heading, a list item or a rule when it starts one.
_BLOCK_START = re.compile(r"^(?:(?P<mark>[#\-+=~])|(?P<number>\d+)(?P<dot>[.)]))")


def md(text: str) -> str:
    """Text from outside (article, feed, model) as inline Markdown: on one line, so it cannot
    start a heading or a list, with every markup character escaped."""
    escaped = _MARKUP.sub(r"\\\1", " ".join(text.split()))
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    if match["mark"]:
        return "\\" + match["mark"]
    return f"{match['number']}\\{match['dot']}"


def md_code(text: str) -> str:
    """Text from outside (a file name, a URL) as a code span no backtick in it can close."""
    text = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_list(names: list[str]) -> str:
    return ", ".join(md(name) for name in names)


def quote_markdown(evidence: Evidence) -> str:
    """A quote as Markdown: curly-quoted when direct, italic when reported or narrative."""
    words = quotation_text(evidence)
    if words is not None:
        return f"“{md(words)}”"
    # A sentence holding a quotation keeps its own marks: both, or the one it was cut at.
    return f"_{md(evidence.quote.strip())}_"


def _source_line(briefing: Briefing) -> str:
    source = briefing.source
    title = source.title if source.title != briefing.headline else None
    parts = [md(p) for p in (title, source.outlet, source.published) if p]
    if source.path and source.path != "-":
        parts.append(md_code(source.path))
    return " · ".join(parts)


def render_markdown(briefing: Briefing) -> str:
    """Return the briefing as a Markdown document."""
    lines = [f"# {md(briefing.headline)}", ""]
    if source_line := _source_line(briefing):
        lines += [f"*{source_line}*", ""]
    lines += [md(briefing.summary), ""]
    if briefing.actors:
        lines += ["## Actors", ""]
        for actor in briefing.actors:
            role = f" — {md(actor.role)}" if actor.role else ""
            aliases = f" (also: {md_list(actor.aliases)})" if actor.aliases else ""
            lines.append(f"- **{md(actor.name)}**{role} _[{actor.kind}]_{aliases}")
        lines.append("")
    if briefing.positions:
        lines += ["## Positions", ""]
        for actor in briefing.actors:
            held = [p for p in briefing.positions if p.actor == actor.name]
            if not held:
                continue
            lines += [f"### {md(actor.name)}", ""]
            for position in held:
                lines.append(f"- {md(position.stance)}")
                lines += [f"  > {quote_markdown(e)}" for e in shown(position.evidence)]
            lines.append("")
    if briefing.open_issues:
        lines += ["## Open issues", ""]
        for issue in briefing.open_issues:
            who = f" ({md_list(issue.stakeholders)})" if issue.stakeholders else ""
            lines.append(f"- {md(issue.issue)}{who}")
            lines += [f"  > {quote_markdown(e)}" for e in shown(issue.evidence)]
        lines.append("")
    if briefing.key_facts:
        lines += ["## Key facts", ""]
        lines += [f"- {md(fact.fact)}" for fact in briefing.key_facts]
        lines.append("")
    engine = briefing.engine
    used = md(f"{engine.name}" + (f" · {engine.model}" if engine.model else ""))
    if engine.name == "llm":
        used += (
            f" · {engine.calls} call(s), {engine.cached_calls} cached,"
            f" {engine.prompt_tokens} prompt + {engine.completion_tokens} completion tokens"
        )
    lines += ["---", f"*engine: {used}*"]
    if briefing.warnings:
        lines += ["", "**Warnings**", ""] + [f"- {md(w)}" for w in briefing.warnings]
    return "\n".join(lines).rstrip() + "\n"
