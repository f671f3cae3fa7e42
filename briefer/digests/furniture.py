"""Page furniture: the lines a day's pages repeat around the news (share prompts, tip-line and
newsletter calls, disclaimers, datelines, source credits). Found by repetition, not by a word
list: a sentence that MIN_ARTICLES or more articles carry word for word, in each of them among
sentences of its own, is the page's, not the story's. A quotation is never furniture (a
statement quoted by many outlets is news). What rests only on furniture (a position, an open
issue, a key fact, an actor named nowhere else) leaves the briefing, and stories are grouped
on the text without it. Pure functions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from ..engines.extractive.sections import openness
from ..schema import Briefing, DigestArticle
from ..text.sentences import split_sentences

MIN_ARTICLES = 3
MIN_WORDS = 3
STORY_SHARE = 0.5
_QUOTATION = re.compile(r"[\"“”].{8,}[\"“”]")


def _parts(text: str) -> list[str]:
    """Lines, and the sentences inside a line ("... share. Share this slide: How will ...?")."""
    return [s.text for line in text.split("\n") for s in split_sentences(line)]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _sentences(text: str) -> set[str]:
    return {
        folded
        for part in _parts(text)
        if len((folded := _fold(part)).split()) >= MIN_WORDS and not _QUOTATION.search(part)
    }


def repeated(texts: Mapping[str, str]) -> set[str]:
    """The folded sentences that MIN_ARTICLES or more of `texts` (article id -> text) carry
    while being other stories: in each of those articles, repeated sentences are under
    STORY_SHARE of its sentences (a story carried by several outlets repeats most of them)."""
    found = {article: _sentences(text) for article, text in texts.items()}
    counts: Counter[str] = Counter(s for sentences in found.values() for s in sentences)
    candidates = {s for s, n in counts.items() if n >= MIN_ARTICLES}
    if not candidates:
        return set()
    around: Counter[str] = Counter()
    for sentences in found.values():
        common = sentences & candidates
        if common and len(common) < STORY_SHARE * len(sentences):
            around.update(common)
    return {s for s, n in around.items() if n >= MIN_ARTICLES}


def without(text: str, furniture: set[str]) -> str:
    """The text without its furniture sentences (what grouping stories should compare)."""
    return " ".join(p for p in _parts(text) if _fold(p) not in furniture)


def strip(
    articles: Sequence[DigestArticle], texts: Mapping[str, str], furniture: set[str]
) -> list[DigestArticle]:
    """The articles with what rests only on the day's `furniture` taken out of their
    briefings."""
    if not furniture:
        return list(articles)
    return [
        article.model_copy(
            update={"briefing": _cleaned(article.briefing, furniture, texts.get(article.id, ""))}
        )
        for article in articles
    ]


def _cleaned(briefing: Briefing, furniture: set[str], text: str) -> Briefing:
    folded = _fold(text)
    here = [s for s in furniture if s in folded]
    if not here:
        return briefing

    def residue(quote: str) -> str:
        """The quote without the furniture it holds ("(h/t X) Share this slide: ...?")."""
        rest = _fold(quote)
        if any(rest in s for s in here):
            return ""
        for sentence in here:
            rest = rest.replace(sentence, " ")
        return rest

    def on_furniture(quotes: Sequence[str], issue: bool = False) -> bool:
        # An open issue whose openness came from the furniture ("... Do you have information
        # to share?") is furniture's; one that was never open is left as it was.
        return bool(quotes) and all(
            len(rest.split()) < MIN_WORDS or (issue and openness(rest) == 0 and openness(quote) > 0)
            for quote, rest in zip(quotes, map(residue, quotes), strict=True)
        )

    positions = [p for p in briefing.positions if not on_furniture([e.quote for e in p.evidence])]
    issues = [
        i
        for i in briefing.open_issues
        if not on_furniture([e.quote for e in i.evidence] or [i.issue], issue=True)
    ]
    facts = [f for f in briefing.key_facts if not on_furniture([e.quote for e in f.evidence])]
    # An actor stays when something kept refers to it or the text names it off the furniture.
    rest = folded
    for sentence in here:
        rest = rest.replace(sentence, " ")
    used = {p.actor for p in positions} | {s for i in issues for s in i.stakeholders}
    actors = [
        a
        for a in briefing.actors
        if a.name in used or any(_fold(n) in rest for n in (a.name, *a.aliases))
    ]
    dropped = len(briefing.positions) - len(positions) + len(briefing.open_issues) - len(issues)
    if not dropped and len(actors) == len(briefing.actors):
        return briefing
    return briefing.model_copy(
        update={
            "positions": positions,
            "open_issues": issues,
            "key_facts": facts,
            "actors": actors,
        }
    )
