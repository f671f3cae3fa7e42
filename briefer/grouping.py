"""Group briefings into stories by shared actors and content, and rank the stories.

Pure functions. Each article is described by its actors (names and aliases, folded) and its
most distinctive words (tf-idf over the day's articles); two articles belong to one story when
their weighted actor overlap and word similarity together pass a threshold. An inverted index
proposes the candidate pairs, so a large day is not compared all against all.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .merge import name_key

SIMILARITY = 0.2
TOP_TERMS = 30
_ACTOR_WEIGHT = 0.5
_WORD = re.compile(r"[^\W\d_][\w'-]{2,}")
_STOPWORDS = frozenset(
    """about above after again against all also although among and any are around as at be
    because been before being between both but by can could did does doing down during each
    either for from further had has have having he her here hers him his how however if in
    into is it its itself just last least less made make many may more most much must new no
    nor not now of off on once one only or other our out over own per said same says she
    should since so some still such than that the their them then there these they this those
    though through to too two under until up upon very was we were what when where whether
    which while who whom whose why will with within without would year years yet you your
    told according week weeks day days monday tuesday wednesday thursday friday saturday
    sunday mr mrs ms""".split()
)


@dataclass(frozen=True)
class Profile:
    """What grouping knows of one article."""

    text: str
    actors: frozenset[str]
    weight: float


def group(profiles: Sequence[Profile], threshold: float = SIMILARITY) -> list[list[int]]:
    """Indexes of `profiles` grouped into stories, most important story first."""
    count = len(profiles)
    term_vectors = _tfidf([p.text for p in profiles])
    actor_idf = _idf([p.actors for p in profiles])
    postings: dict[str, list[int]] = defaultdict(list)
    for index, profile in enumerate(profiles):
        for key in [f"a:{a}" for a in profile.actors] + [f"t:{t}" for t in term_vectors[index]]:
            postings[key].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        if 1 < len(members) <= max(50, count // 4):
            candidates.update(
                (first, second) for i, first in enumerate(members) for second in members[i + 1 :]
            )
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for first, second in sorted(candidates):
        score = similarity(
            profiles[first].actors,
            profiles[second].actors,
            actor_idf,
            term_vectors[first],
            term_vectors[second],
        )
        if score >= threshold:
            parent[max(root(first), root(second))] = min(root(first), root(second))
    stories: dict[int, list[int]] = defaultdict(list)
    for index in range(count):
        stories[root(index)].append(index)
    ranked = sorted(
        stories.values(),
        key=lambda members: (-sum(profiles[m].weight for m in members), members[0]),
    )
    return [sorted(members, key=lambda m: (-profiles[m].weight, m)) for members in ranked]


def similarity(
    actors_a: frozenset[str],
    actors_b: frozenset[str],
    actor_idf: dict[str, float],
    terms_a: dict[str, float],
    terms_b: dict[str, float],
) -> float:
    """Blend of idf-weighted actor overlap and cosine similarity of distinctive words, 0..1.

    When either article has no actors (a short item, or one the offline engine read thinly),
    the words alone decide: missing actors are not evidence of a different story.
    """
    content = sum(weight * terms_b.get(term, 0.0) for term, weight in terms_a.items())
    if not actors_a or not actors_b:
        return content
    union = actors_a | actors_b
    shared = sum(actor_idf[a] for a in actors_a & actors_b) / sum(actor_idf[a] for a in union)
    return _ACTOR_WEIGHT * shared + (1 - _ACTOR_WEIGHT) * content


def words(text: str) -> list[str]:
    """Content words of a text: lower case, no stopwords, no numbers."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]


def _idf(documents: Sequence[frozenset[str] | set[str]]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(document)
    total = len(documents)
    return {term: math.log((1 + total) / (1 + seen)) + 1 for term, seen in frequency.items()}


def _tfidf(texts: Sequence[str]) -> list[dict[str, float]]:
    """Each text's TOP_TERMS most distinctive words, weights normalised to unit length."""
    counts = [Counter(words(text)) for text in texts]
    idf = _idf([set(c) for c in counts])
    vectors = []
    for counter in counts:
        weighted = {term: (1 + math.log(n)) * idf[term] for term, n in counter.items()}
        top = dict(sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS])
        norm = math.sqrt(sum(w * w for w in top.values())) or 1.0
        vectors.append({term: w / norm for term, w in top.items()})
    return vectors


def actor_keys(names: Sequence[str]) -> frozenset[str]:
    """Folded actor names for grouping."""
    return frozenset(key for key in (name_key(n) for n in names) if key)
