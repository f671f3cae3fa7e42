"""Ground a draft into a briefing: every evidence entry located in the article text (quotes
found by `text.source.SourceText`, citations expanded by `citations`), the span found replacing
the model's words, so every quote briefer prints is verbatim, `text[start:end] == quote`;
evidence not found is dropped and counted. Pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Callable

from ..readers.sources import Article
from ..schema import (
    Actor,
    Briefing,
    Draft,
    Engine,
    Evidence,
    KeyFact,
    OpenIssue,
    Position,
    Source,
)
from ..text.source import SourceText

# Turns one evidence entry of a draft (a quote, or a citation) into located evidence.
Locate = Callable[[str], Evidence | None]
QUOTES_DROPPED = "evidence quote(s) not found in the article were dropped"


def ground(
    draft: Draft,
    article: Article,
    source: Source,
    engine: Engine,
    warnings: list[str],
    locate: Locate | None = None,
    dropped_note: str = QUOTES_DROPPED,
) -> Briefing:
    """Locate every evidence entry of `draft` in the article (as verbatim quotes, unless
    `locate` reads them otherwise); drop what cannot be located, with warnings."""
    locate = locate or SourceText(article.text).evidence
    warnings = list(warnings)
    dropped = 0

    def located(quotes: list[str]) -> list[Evidence]:
        nonlocal dropped
        found: dict[tuple[int, int], Evidence] = {}
        for quote in quotes:
            evidence = locate(quote)
            if evidence is None:
                dropped += 1
                continue
            found.setdefault((evidence.start, evidence.end), evidence)
        return sorted(found.values(), key=lambda e: e.start)

    positions: list[Position] = []
    for position in draft.positions:
        evidence = located(position.quotes)
        if evidence:
            positions.append(
                Position(actor=position.actor, stance=position.stance, evidence=evidence)
            )
        else:
            warnings.append(
                f"position of {position.actor} dropped: none of its evidence is in the article"
            )
    open_issues = [
        OpenIssue(issue=i.issue, stakeholders=i.stakeholders, evidence=located(i.quotes))
        for i in draft.open_issues
    ]
    key_facts = [KeyFact(fact=f.fact, evidence=located(f.quotes)) for f in draft.key_facts]
    if dropped:
        warnings.insert(0, f"{dropped} {dropped_note}")
    return Briefing(
        source=source,
        headline=draft.headline.strip(),
        summary=draft.summary.strip(),
        actors=[Actor.model_validate(actor.model_dump()) for actor in draft.actors],
        positions=positions,
        open_issues=open_issues,
        key_facts=key_facts,
        engine=engine,
        warnings=warnings,
    )
