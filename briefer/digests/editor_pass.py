"""The editor's pass: a model groups the day's articles into stories and heads each story.

One structured call over compact cards (headline, one-line summary, main actors, outlet, date)
per part of the day that fits the context window. Cards are shown in the offline grouping's
story order, so related articles sit together and a split falls between offline stories. The
model lists only stories of two or more articles; every article it leaves out stands alone.
`EditorPass` is the step (see steps.py); the rest are pure functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..schema import DigestArticle, EditorDraft
from ..text.sentences import split_sentences
from .step import Request

CARD_ACTORS = 4
SUMMARY_CHARS = 220


@dataclass
class Edited:
    """Stories as indexes into the articles, with the model's headline for each story of two
    or more articles (None for an article standing alone)."""

    groups: list[list[int]] = field(default_factory=list)
    headlines: list[str | None] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def card(ref: str, article: DigestArticle) -> str:
    """One article as the editor sees it: a line or two, never the article's text."""
    briefing = article.briefing
    source = article.sources[0]
    holders = [p.actor for p in briefing.positions]
    names = list(dict.fromkeys(holders + [a.name for a in briefing.actors]))[:CARD_ACTORS]
    summary = _first_sentence(briefing.summary)
    origin = ", ".join(p for p in (source.outlet, source.published) if p) or "source unknown"
    headline = source.title or briefing.headline
    lines = [f"[{ref}] {' '.join(headline.split())} ({' '.join(origin.split())})"]
    lines.append(f"  {' '.join(summary.split())}")
    if names:
        lines.append(f"  Actors: {'; '.join(' '.join(n.split()) for n in names)}")
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    """The summary's first sentence (abbreviation-aware: "Sen. Blumenthal" is not a sentence),
    cut at a word to SUMMARY_CHARS."""
    sentences = split_sentences(text)
    first = " ".join(text[sentences[0].start : sentences[0].end].split()) if sentences else ""
    if len(first) <= SUMMARY_CHARS:
        return first
    return first[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def parts(
    articles: Sequence[DigestArticle],
    order: Sequence[Sequence[int]],
    count_tokens: Callable[[str], int],
    budget: int,
) -> list[list[int]]:
    """Article indexes split into parts whose cards fit `budget` tokens, in `order`
    (the offline stories), starting a new part between stories where one can."""
    result: list[list[int]] = [[]]
    used = 0
    for story in order:
        cost = sum(count_tokens(card("A000", articles[i])) + 1 for i in story)
        if result[-1] and used + cost > budget:
            result.append([])
            used = 0
        for index in story:
            one = count_tokens(card("A000", articles[index])) + 1
            if result[-1] and used + one > budget:
                result.append([])
                used = 0
            result[-1].append(index)
            used += one
    return [part for part in result if part]


def request(date: str | None, cards: str, count: int) -> Request:
    """The editor's request."""
    return Request(cards, {"date": date or "(not given)", "count": str(count)})


def render_cards(articles: Sequence[DigestArticle], part: Sequence[int]) -> str:
    """The cards of one part, referenced A1, A2, ... in the part's order."""
    return "\n".join(card(f"A{n}", articles[i]) for n, i in enumerate(part, 1))


def from_drafts(drafts: Sequence[tuple[EditorDraft, Sequence[int]]], count: int) -> Edited:
    """Stories from the model's replies (each with the article indexes of its part): unknown
    or repeated references are dropped with a warning; articles left out stand alone."""
    edited = Edited()
    placed: set[int] = set()
    for draft, part in drafts:
        refs = {f"A{n}": index for n, index in enumerate(part, 1)}
        for story in draft.stories:
            members: list[int] = []
            for ref in story.articles:
                index = refs.get(ref)
                if index is None:
                    edited.warnings.append(f"editor's pass cited {ref!r}, which is no card")
                elif index in placed or index in members:
                    edited.warnings.append(f"editor's pass put {ref} in two stories: kept first")
                else:
                    members.append(index)
            if len(members) >= 2:
                placed.update(members)
                edited.groups.append(sorted(members))
                headline = " ".join(story.headline.split())
                edited.headlines.append(headline or None)
    for index in range(count):
        if index not in placed:
            edited.groups.append([index])
            edited.headlines.append(None)
    return edited


# Without the briefings, a plan can only estimate a card's tokens: about the largest card of
# real days' digests (the mean is 55 to 70).
TOKENS_PER_CARD = 95


@dataclass
class EditorPass:
    """The editor's pass as a digest step: the offline grouping's stories without a model."""

    articles: Sequence[DigestArticle]
    order: Sequence[Sequence[int]]  # the offline grouping, in story order
    date: str | None
    # The parts the requests carry (filled by `requests`), each a list of article indexes.
    asked: list[list[int]] = field(default_factory=list)

    name = "editor's pass"
    prompt = "editor"
    carries = "cards"
    reply = EditorDraft
    fallback = "the editor's pass failed; stories are the offline grouping"

    @staticmethod
    def skeleton() -> Request:
        return request("0000-00-00", "", 0)

    def empty(self) -> Request:
        return request(self.date, "", 0)

    @staticmethod
    def estimate(articles: int, budget: int, density: float) -> list[int]:
        """At most one call per part of the cards that fits `budget`; none for a single
        article. A part ends early where the next story would not fit it, so two parts in a
        row always hold more than `budget`: at most 2 * total / budget + 1 parts, and only
        those of two cards or more are sent."""
        if articles < 2:
            return []
        total = int(TOKENS_PER_CARD * density) * articles
        calls = min(2 * total // max(1, budget) + 1, articles // 2)
        return [min(budget, max(1, total - n * budget)) for n in range(calls)]

    def offline(self) -> Edited:
        return Edited([list(story) for story in self.order], [None] * len(self.order))

    def asks(self) -> bool:
        return len(self.articles) >= 2

    def requests(self, count_tokens: Callable[[str], int], budget: int) -> list[Request]:
        """One request per part that fits `budget` and holds two articles or more."""
        self.asked = [
            part
            for part in parts(self.articles, self.order, count_tokens, budget)
            if len(part) >= 2
        ]
        return [
            request(self.date, render_cards(self.articles, part), len(part)) for part in self.asked
        ]

    def read(self, replies: Sequence[EditorDraft]) -> Edited:
        return from_drafts(list(zip(replies, self.asked, strict=True)), len(self.articles))
