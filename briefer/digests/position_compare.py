"""With a model: whose position changed since the last digest that reported them.

One structured call over the two digests' positions (stance and quote each, never the
articles), for the actors both hold, those with the most in common first, within the
context window. References are checked: a pair must join an earlier and a today position of
the same actor. `ComparePositions` is the step (see steps.py); the rest are pure functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..schema import (
    ActorPosition,
    IndexedActor,
    PositionChange,
    PositionsDraft,
    StanceRecord,
)
from ..text.names import name_key
from ..text.words import content_words
from .history import PositionRow
from .step import Request

MAX_ACTORS = 40
PER_SIDE = 4
QUOTE_CHARS = 300


@dataclass(frozen=True)
class Candidate:
    """An actor both digests report, with its earlier and today's positions."""

    actor: str
    before: list[PositionRow]
    now: list[ActorPosition]


def candidates(actors: Sequence[IndexedActor], earlier: Sequence[PositionRow]) -> list[Candidate]:
    """Actors with positions on both sides, those whose positions share most words first."""
    by_key: dict[str, list[PositionRow]] = {}
    for row in earlier:
        by_key.setdefault(row.actor_key, []).append(row)
    ranked: list[tuple[int, Candidate]] = []
    for actor in actors:
        before = by_key.get(name_key(actor.name), [])
        if not before or not actor.positions:
            continue
        said = set(content_words(" ".join(p.stance for p in actor.positions)))
        shared = len(said & set(content_words(" ".join(r.stance for r in before))))
        if shared:
            ranked.append(
                (shared, Candidate(actor.name, before[:PER_SIDE], actor.positions[:PER_SIDE]))
            )
    ranked.sort(key=lambda item: (-item[0], item[1].actor))
    return [candidate for _, candidate in ranked[:MAX_ACTORS]]


def render(
    chosen: Sequence[Candidate], count_tokens: Callable[[str], int], budget: int
) -> tuple[str, list[Candidate]]:
    """The candidates as the prompt shows them, within `budget` tokens; B and N references
    run across actors in the order shown."""
    blocks: list[str] = []
    kept: list[Candidate] = []
    used = before_n = now_n = 0
    for candidate in chosen:
        lines = [f"Actor: {_line(candidate.actor)}"]
        for row in candidate.before:
            before_n += 1
            lines.append(f"  B{before_n} ({row.day}): {_line(row.stance)}{_quote(row.quote)}")
        for position in candidate.now:
            now_n += 1
            quote = position.evidence[0].quote if position.evidence else None
            lines.append(f"  N{now_n} (today): {_line(position.stance)}{_quote(quote)}")
        block = "\n".join(lines)
        cost = count_tokens(block) + 1
        if used + cost > budget:
            break
        blocks.append(block)
        kept.append(candidate)
        used += cost
    return "\n".join(blocks), kept


def request(day: str, positions: str, count: int) -> Request:
    """The comparison request."""
    return Request(positions, {"day": day, "count": str(count)})


def from_draft(
    draft: PositionsDraft, shown: Sequence[Candidate], day: str, headlines: Mapping[str, str]
) -> tuple[list[PositionChange], list[str]]:
    """The changes the model found, each checked to join two positions of one actor."""
    befores: dict[str, tuple[int, PositionRow]] = {}
    nows: dict[str, tuple[int, ActorPosition]] = {}
    for index, candidate in enumerate(shown):
        for row in candidate.before:
            befores[f"B{len(befores) + 1}"] = (index, row)
        for position in candidate.now:
            nows[f"N{len(nows) + 1}"] = (index, position)
    changes: list[PositionChange] = []
    warnings: list[str] = []
    seen: set[int] = set()
    for change in draft.changes:
        before = befores.get(change.before)
        after = nows.get(change.after)
        if before is None or after is None or before[0] != after[0]:
            warnings.append(
                f"position comparison paired {change.before!r} with {change.after!r},"
                " which are not two positions of one actor: dropped"
            )
            continue
        if before[0] in seen:
            continue
        seen.add(before[0])
        row, position = before[1], after[1]
        changes.append(
            PositionChange(
                actor=shown[before[0]].actor,
                before=StanceRecord(
                    day=row.day, stance=row.stance, quote=row.quote, headline=row.headline
                ),
                after=StanceRecord(
                    day=day,
                    stance=position.stance,
                    quote=position.evidence[0].quote if position.evidence else None,
                    headline=headlines.get(position.article),
                    article=position.article,
                ),
                note=" ".join(change.note.split()) or None,
            )
        )
    return changes, warnings


# Without the digests, a plan can only estimate what one actor's positions take, and how many
# actors an article brings into the comparison.
TOKENS_PER_ACTOR = 200
ACTORS_PER_ARTICLE = 2


@dataclass
class Compared:
    """Changed positions, with notes on references the model got wrong."""

    changes: list[PositionChange]
    warnings: list[str]


@dataclass
class ComparePositions:
    """The position comparison as a digest step: the offline changes without a model."""

    chosen: Sequence[Candidate]
    day: str
    headlines: Mapping[str, str]
    offline_changes: list[PositionChange]
    # The candidates the request shows (filled by `requests`).
    shown: list[Candidate] = field(default_factory=list)

    name = "position comparison"
    prompt = "positions"
    carries = "positions"
    reply = PositionsDraft
    fallback = "the position comparison failed; changed positions are the offline ones"

    @staticmethod
    def skeleton() -> Request:
        return request("0000-00-00", "", 0)

    @staticmethod
    def estimate(articles: int, budget: int, density: float) -> list[int]:
        """At most one call, for the actors that fit `budget`."""
        actors = min(MAX_ACTORS, ACTORS_PER_ARTICLE * articles)
        return [min(budget, int(TOKENS_PER_ACTOR * density) * actors)] if articles else []

    def empty(self) -> Request:
        return request(self.day, "", 0)

    def offline(self) -> Compared:
        return Compared(self.offline_changes, [])

    def asks(self) -> bool:
        return bool(self.chosen)

    def requests(self, count_tokens: Callable[[str], int], budget: int) -> list[Request]:
        text, self.shown = render(self.chosen, count_tokens, budget)
        return [request(self.day, text, len(self.shown))] if self.shown else []

    def read(self, replies: Sequence[PositionsDraft]) -> Compared:
        return Compared(*from_draft(replies[0], self.shown, self.day, self.headlines))


def _line(text: str) -> str:
    return " ".join(text.split())


def _quote(quote: str | None) -> str:
    return f' — quote: "{_line(quote)[:QUOTE_CHARS]}"' if quote else ""
