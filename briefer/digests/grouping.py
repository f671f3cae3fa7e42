"""Group a day's articles into stories (one event or developing situation each) and rank them.

Pure functions. Two articles are alike by the mean of two tf-idf cosines over the day's
articles: their headline and lead (what the event is), and their whole text (who and what it
involves). Stories come from average-linkage agglomerative clustering: a group joins another
only when the articles of the two are alike *on average*, so a chain of weak links (two
articles that share one country, two others that share one leader) never makes one story, as
it does with single-link joining. The bar rises with the size of the story being formed,
because a large group of loosely alike articles is more often a topic than an event.

Both vectors weigh a word by the day's count of whole articles using it, and a possessive
ending is folded away. The lead is the first 90 words. What was measured, and what was tried
and left out: bench/RESULTS.md."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

THRESHOLD = 0.15
# The bar rises by this much each time the story being formed doubles past two articles.
SIZE_STEP = 0.02
# A news lead and the paragraph after it: what happened, who and where.
LEAD_WORDS = 90
# A possessive ending ("Russia's", "NATO’s", "allies'"): folded away so the name is one term.
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b|(?<=s)['’](?!\w)")


@dataclass(frozen=True)
class Profile:
    """What grouping knows of one article: its headline, its text and its prominence."""

    title: str
    text: str
    weight: float


def group(
    profiles: Sequence[Profile], threshold: float = THRESHOLD, method: str = "average"
) -> list[list[int]]:
    """Indexes of `profiles` grouped into stories, most important story first.

    Inside a story the most central article (the one most like the others) comes first, so
    its headline can stand for the story; the rest follow by weight.
    """
    if not profiles:
        return []
    similar = similarities(profiles)
    stories = clusters(similar, threshold, method)
    ranked = sorted(
        stories,
        key=lambda members: (-sum(profiles[m].weight for m in members), min(members)),
    )
    return [_central_first(members, similar, profiles) for members in ranked]


def similarities(profiles: Sequence[Profile]) -> NDArray[np.float64]:
    """Square matrix of article similarity, 0..1: the mean of the headline-and-lead cosine
    and the whole-text cosine."""
    import numpy as np

    titles = [fold_possessive(p.title) for p in profiles]
    texts = [fold_possessive(p.text) for p in profiles]
    heads = [f"{title}\n{title}\n{lead(text)}" for title, text in zip(titles, texts, strict=True)]
    wholes = [f"{title}\n{text}" for title, text in zip(titles, texts, strict=True)]
    # Both weigh a word by how many whole articles of the day use it: counted on leads alone,
    # a common word missing from most leads would pass for a distinctive one.
    matrix = (cosines(heads, corpus=wholes) + cosines(wholes)) / 2
    np.fill_diagonal(matrix, 1.0)
    result: NDArray[np.float64] = np.clip(matrix, 0.0, 1.0)
    return result


def clusters(
    similar: NDArray[np.float64], threshold: float = THRESHOLD, method: str = "average"
) -> list[list[int]]:
    """Agglomerative clusters of a similarity matrix, cut with a size-aware threshold.

    A merge is kept when both halves were kept and the linkage similarity reaches the bar for
    the merged size; the kept merges partition the articles.
    """
    import numpy as np
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    count = len(similar)
    if count < 2:
        return [[i] for i in range(count)]
    distances = 1.0 - similar
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False), method=method)
    kept = [True] * count
    members: list[list[int]] = [[i] for i in range(count)]
    for first, second, distance, size in tree:
        a, b = int(first), int(second)
        ok = kept[a] and kept[b] and 1.0 - distance >= required(threshold, int(size))
        kept.append(ok)
        members.append(members[a] + members[b])
    # The kept merges nest; the widest kept merge over an article is its story.
    story_of: list[int | None] = [None] * count
    for node in range(len(members) - 1, count - 1, -1):
        if kept[node] and story_of[members[node][0]] is None:
            for m in members[node]:
                story_of[m] = node
    stories: dict[int, list[int]] = {}
    for index in range(count):
        found = story_of[index]
        stories.setdefault(index if found is None else found, []).append(index)
    return [sorted(story) for story in stories.values()]


def required(threshold: float, size: int) -> float:
    """The similarity a merge into a story of `size` articles must reach."""
    return threshold + SIZE_STEP * math.log2(size / 2) if size > 2 else threshold


def fold_possessive(text: str) -> str:
    """The text without possessive endings, so "Russia's" and "Russia" are one word."""
    return _POSSESSIVE.sub("", text)


def lead(text: str, count: int = LEAD_WORDS) -> str:
    """The first `count` words of a text: where a news article says what happened."""
    return " ".join(text.split()[:count])


def _central_first(
    members: list[int], similar: NDArray[np.float64], profiles: Sequence[Profile]
) -> list[int]:
    by_weight = sorted(members, key=lambda m: (-profiles[m].weight, m))
    if len(members) < 3:
        return by_weight
    centre = max(by_weight, key=lambda m: float(sum(similar[m, o] for o in members)))
    return [centre] + [m for m in by_weight if m != centre]


def cosines(texts: Sequence[str], corpus: Sequence[str] | None = None) -> NDArray[np.float64]:
    """Pairwise cosine of sublinear tf-idf vectors; the idf comes from `corpus` (the texts
    themselves by default: the day is the corpus)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        sublinear_tf=True,
        stop_words="english",
        token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
        dtype=np.float64,
    )
    try:
        vectors = vectorizer.fit(texts if corpus is None else corpus).transform(texts)
    except ValueError:  # no word at all in any text: nothing is alike
        return np.zeros((len(texts), len(texts)))
    result: NDArray[np.float64] = (vectors @ vectors.T).toarray()
    return result
