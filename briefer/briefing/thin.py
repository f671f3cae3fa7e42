"""Noticing a reply that is valid but empty: no actors or no positions on an article full of
quoted speech. A small model often answers so, and the briefing would pass for a real one."""

from __future__ import annotations

from ..schema import Briefing
from ..text.quotes import quotations

# Quotations in an article that make an empty list of positions implausible.
MIN_QUOTES = 2


def direct_quotes(text: str) -> int:
    """How many quotations of a few words or more the text holds."""
    return sum(1 for quote in quotations(text) if len(quote.text.split()) >= 3)


def thin_reply_warning(briefing: Briefing, text: str) -> str | None:
    """A warning when the briefing names no actors or no positions although the article
    quotes people directly; None otherwise (the run tells it as a "thin-reply" warning)."""
    quotes = direct_quotes(text)
    if quotes < MIN_QUOTES:
        return None
    missing = [
        name
        for name, items in (("actors", briefing.actors), ("positions", briefing.positions))
        if not items
    ]
    if not missing:
        return None
    return (
        f"The model's reply was valid but empty: no {' and no '.join(missing)} although the"
        f" article quotes people {quotes} times. Try a larger model (-m), or the offline"
        " engine (--engine extractive)."
    )
