"""A stance another actor reports: "Sought to block the deal (as reported by Norland)". The
actor holds it only on the reporter's word, so it says so, as analysts write it, and the
digest does not weigh it against what the actor says itself. Pure, no I/O."""

from __future__ import annotations

import re

_MARK = re.compile(r"\(as reported by [^()]+\)\s*$")


def as_reported_by(stance: str, reporter: str) -> str:
    """The stance, saying whose report it rests on."""
    return f"{stance.rstrip()} (as reported by {reporter})"


def is_hearsay(stance: str) -> bool:
    """Whether the stance rests on another actor's report."""
    return _MARK.search(stance) is not None
