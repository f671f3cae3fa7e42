"""Near-duplicate detection: the same story syndicated or re-run by several outlets.

Pure functions over texts. Each text becomes a set of hashed word 5-grams (shingles); a
deterministic 1-in-8 sample of them feeds an inverted index that proposes candidate pairs, so
the cost grows with the number of texts rather than its square; candidates are then compared
exactly. Two texts are duplicates when most of the shorter one's shingles are in the longer:
a re-run that trims or re-heads a wire story still matches.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence

SHINGLE_WORDS = 5
CONTAINMENT = 0.7
_SAMPLE_MODULUS = 8
_MIN_SHARED_SAMPLES = 3
# Past this many texts sharing a shingle, candidates are paired with the first only.
_COMMON_POSTING = 50
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[int]:
    """Hashes of the text's overlapping word 5-grams, case and punctuation folded."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        words += [""] * (SHINGLE_WORDS - len(words))
    return {
        int.from_bytes(
            hashlib.blake2b(" ".join(words[i : i + SHINGLE_WORDS]).encode(), digest_size=8).digest()
        )
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the larger."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def duplicate_groups(texts: Sequence[str], threshold: float = CONTAINMENT) -> list[list[int]]:
    """Indexes of `texts` grouped by near-duplication; every index appears in exactly one group.

    Groups keep input order inside and are ordered by their first member.
    """
    sets = [shingles(text) for text in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(first: int, second: int) -> None:
        a, b = root(first), root(second)
        parent[max(a, b)] = min(a, b)

    # Identical word sequences first (however short, however many copies); the index below
    # then sees each distinct text once.
    first_with: dict[frozenset[int], int] = {}
    distinct: list[int] = []
    for index, shingle_set in enumerate(sets):
        earlier = first_with.setdefault(frozenset(shingle_set), index)
        if earlier == index:
            distinct.append(index)
        else:
            join(earlier, index)

    postings: dict[int, list[int]] = defaultdict(list)
    for index in distinct:
        for shingle in sets[index]:
            if shingle % _SAMPLE_MODULUS == 0:
                postings[shingle].append(index)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in postings.values():
        if len(members) <= _COMMON_POSTING:
            pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        else:
            # A passage in many texts: boilerplate, or a story carried very widely. Pairing
            # each with the first keeps the cost linear; a real copy still joins its group.
            pairs = [(members[0], b) for b in members[1:]]
        for pair in pairs:
            shared[pair] += 1
    for (first, second), count in shared.items():
        small = min(len(sets[first]), len(sets[second]))
        enough = min(_MIN_SHARED_SAMPLES, max(1, small // (_SAMPLE_MODULUS * 2)))
        if count >= enough and containment(sets[first], sets[second]) >= threshold:
            join(first, second)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(texts)):
        groups[root(index)].append(index)
    return sorted(groups.values(), key=lambda g: g[0])
