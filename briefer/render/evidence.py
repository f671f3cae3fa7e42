"""The evidence a reader is shown of a position or an issue."""

from __future__ import annotations

from collections.abc import Sequence

from ..schema import Evidence


def shown(evidence: Sequence[Evidence], *, context: bool = True) -> list[Evidence]:
    """`evidence` with each quotation shown once, in order. A quotation given with the
    sentence it stands in is read in that sentence (`context`: a briefing, where the reader
    checks who said it), or alone (a digest, listed under its speaker already)."""

    def holds(outer: Evidence, inner: Evidence) -> bool:
        return outer.start <= inner.start and inner.end <= outer.end

    kept: list[Evidence] = []
    for i, item in enumerate(evidence):
        others = [other for j, other in enumerate(evidence) if j != i]
        if context:
            hidden = any(holds(o, item) and o != item for o in others)
        else:
            hidden = any(holds(item, o) and o != item for o in others)
        if not hidden and item not in kept:
            kept.append(item)
    return kept


_MARKS = '"“”'


def quotation_text(evidence: Evidence) -> str | None:
    """The words of a direct quotation without its marks, to set in the renderer's own; None
    when the span is more than one quotation ('"X," the minister said.'), which keeps its
    own marks."""
    if not evidence.direct:
        return None
    inner = evidence.quote.strip(_MARKS + " \n")
    return None if any(mark in inner for mark in _MARKS) else inner
