"""Plain-text rendering of a briefing, for terminals and e-mail."""

from __future__ import annotations

import textwrap

from ..schema import Briefing
from .evidence import shown

WIDTH = 88


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=indent + "  "
    ) or [indent]


def render_text(briefing: Briefing) -> str:
    """Return the briefing as wrapped plain text."""
    lines = [" ".join(briefing.headline.split()).upper(), ""]
    lines += _wrap(briefing.summary) + [""]
    if briefing.actors:
        lines.append("ACTORS")
        for actor in briefing.actors:
            lines += _wrap(f"{actor.name}" + (f", {actor.role}" if actor.role else ""), "  ")
        lines.append("")
    if briefing.positions:
        lines.append("POSITIONS")
        for position in briefing.positions:
            lines += _wrap(f"{position.actor}: {position.stance}", "  ")
            for evidence in shown(position.evidence):
                lines += _wrap(f'"{evidence.quote}"', "      ")
        lines.append("")
    if briefing.open_issues:
        lines.append("OPEN ISSUES")
        for issue in briefing.open_issues:
            lines += _wrap(f"- {issue.issue}", "  ")
        lines.append("")
    if briefing.key_facts:
        lines.append("KEY FACTS")
        lines += [line for fact in briefing.key_facts for line in _wrap(f"- {fact.fact}", "  ")]
        lines.append("")
    lines.append(
        f"[engine: {briefing.engine.name}"
        + (f", {briefing.engine.model}" if briefing.engine.model else "")
        + "]"
    )
    lines += [f"warning: {' '.join(w.split())}" for w in briefing.warnings]
    return "\n".join(lines).rstrip() + "\n"
