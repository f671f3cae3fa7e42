"""The history as `briefer history` prints it: the days held, or one actor over time."""

from __future__ import annotations

import json
from dataclasses import asdict

from ..digests.history import DaySummary, PositionRow
from ..sanitize import strip_controls
from .markdown import md


def render_days(days: list[DaySummary], fmt: str) -> str:
    """The days the history holds, oldest first, as md or json; stored text from outside is
    inert in both (no terminal control or bidi characters, Markdown escaped)."""
    return strip_controls(_days(days, fmt))


def render_actor(name: str, positions: list[PositionRow], fmt: str) -> str:
    """One actor's positions, day by day, as md or json; stored model text is inert in both."""
    return strip_controls(_actor(name, positions, fmt))


def _days(days: list[DaySummary], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"days": [asdict(d) for d in days]}, indent=2, ensure_ascii=False) + "\n"
    if not days:
        return "No digest recorded yet.\n"
    lines = ["| Day | Title | Stories | Positions | Open issues |", "|---|---|---|---|---|"]
    lines += [
        f"| {_cell(d.day)} | {_cell(d.title)} | {d.stories} | {d.positions} | {d.issues} |"
        for d in days
    ]
    return "\n".join(lines) + "\n"


def _actor(name: str, positions: list[PositionRow], fmt: str) -> str:
    if fmt == "json":
        rows = [{k: v for k, v in asdict(p).items() if k != "actor_key"} for p in positions]
        return json.dumps({"actor": name, "positions": rows}, indent=2, ensure_ascii=False) + "\n"
    if not positions:
        return f"No position of {_flat(name)} in the history.\n"
    lines = [f"# {_flat(positions[0].actor)} over time", ""]
    day = None
    for position in positions:
        if position.day != day:
            day = position.day
            lines += ["", f"## {_flat(day)}", ""]
        source = f" — *{_flat(position.headline)}*" if position.headline else ""
        lines.append(f"- {_flat(position.stance)}{source}")
        if position.quote:
            lines.append(f"  > {_flat(position.quote)}")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def _cell(text: str) -> str:
    return _flat(text).replace("|", "\\|")


def _flat(text: str) -> str:
    """Text from outside as inline Markdown: on one line, every markup character escaped."""
    return md(text)
