"""Markdown rendering of a briefing."""

from __future__ import annotations

from ..schema import Briefing, Evidence


def quote_markdown(evidence: Evidence) -> str:
    """A quote as Markdown: curly-quoted when direct, italic when reported or narrative."""
    text = " ".join(evidence.quote.split()).strip('"“”')
    return f"“{text}”" if evidence.direct else f"_{text}_"


def _source_line(briefing: Briefing) -> str:
    source = briefing.source
    title = source.title if source.title != briefing.headline else None
    parts = [p for p in (title, source.outlet, source.published) if p]
    if source.path and source.path != "-":
        parts.append(f"`{source.path}`")
    return " · ".join(parts)


def render_markdown(briefing: Briefing) -> str:
    """Return the briefing as a Markdown document."""
    lines = [f"# {briefing.headline}", ""]
    if source_line := _source_line(briefing):
        lines += [f"*{source_line}*", ""]
    lines += [briefing.summary, ""]
    if briefing.actors:
        lines += ["## Actors", ""]
        for actor in briefing.actors:
            role = f" — {actor.role}" if actor.role else ""
            aliases = f" (also: {', '.join(actor.aliases)})" if actor.aliases else ""
            lines.append(f"- **{actor.name}**{role} _[{actor.kind}]_{aliases}")
        lines.append("")
    if briefing.positions:
        lines += ["## Positions", ""]
        for actor in briefing.actors:
            held = [p for p in briefing.positions if p.actor == actor.name]
            if not held:
                continue
            lines += [f"### {actor.name}", ""]
            for position in held:
                lines.append(f"- {position.stance}")
                lines += [f"  > {quote_markdown(e)}" for e in position.evidence]
            lines.append("")
    if briefing.open_issues:
        lines += ["## Open issues", ""]
        for issue in briefing.open_issues:
            who = f" ({', '.join(issue.stakeholders)})" if issue.stakeholders else ""
            lines.append(f"- {issue.issue}{who}")
            lines += [f"  > {quote_markdown(e)}" for e in issue.evidence]
        lines.append("")
    if briefing.key_facts:
        lines += ["## Key facts", ""]
        lines += [f"- {fact.fact}" for fact in briefing.key_facts]
        lines.append("")
    engine = briefing.engine
    used = f"{engine.name}" + (f" · {engine.model}" if engine.model else "")
    if engine.name == "llm":
        used += (
            f" · {engine.calls} call(s), {engine.cached_calls} cached,"
            f" {engine.prompt_tokens} prompt + {engine.completion_tokens} completion tokens"
        )
    lines += ["---", f"*engine: {used}*"]
    if briefing.warnings:
        lines += ["", "**Warnings**", ""] + [f"- {w}" for w in briefing.warnings]
    return "\n".join(lines).rstrip() + "\n"
