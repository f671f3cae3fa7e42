"""Which sentences carry the article's open issues: those that mark something as unresolved
(hedges, pending decisions, the future, demands and inquiries) among those central to what the
article is about, one per topic. Pure functions."""

from __future__ import annotations

import re
from collections import Counter

from ...text.sentences import Sentence
from .sections import openness

# What is still to come or still asked: generic marks of the future and of pending processes.
_FORWARD = re.compile(
    r"\bwill\b|\bplans? to\b|\bset to\b|\bdue to\b|\bnext\b|\blater\b|\bdeadline\b|\buntil\b"
    r"|\bpending\b|\binvestigat\w*|\binquiry\b|\bprobe\b|\bquestions?\b|\bconcerns?\b"
    r"|\bcall(?:s|ed)? (?:on|for)\b|\burg(?:e|es|ed)\b|\bdemand\w*",
    re.I,
)
# Words that tell no topic apart, for the centrality of a sentence within one article: a
# shorter list than text.words.STOPWORDS on purpose (with that one, which also drops words
# such as "whether", "may", "must" and "yet", issue recall on the devset falls 0.69 → 0.60).
_WORD = re.compile(r"[a-z]{4,}")
_STOP = frozenset(
    """that this with from have been were they their there which would about after also more
    than other into will said says what when where while over such some only most very just
    could should them then these those being does your""".split()
)
# A sentence sharing more than this share of its content words with one already chosen is
# the same issue again.
_SAME_TOPIC = 0.5
_MIN_WORDS = 6


def marks_open(text: str) -> bool:
    """Whether a sentence itself marks something as undecided: the future, a pending process,
    a demand, or a strong cue of uncertainty (not a lone "would" or "if")."""
    return bool(_FORWARD.search(text)) or openness(text) >= 2


def open_sentences(parts: list[Sentence], limit: int) -> list[Sentence]:
    """Up to `limit` sentences, in article order, that best state what is left open."""
    candidates = [s for s in parts if len(s.text.split()) >= _MIN_WORDS]
    words = [{w for w in _WORD.findall(s.text.lower()) if w not in _STOP} for s in candidates]
    frequency = Counter(w for bag in words for w in bag)

    def weight(i: int) -> float:
        # Centrality: how much of the sentence's vocabulary the rest of the article repeats.
        central = sum(frequency[w] - 1 for w in words[i]) / (len(words[i]) + 4)
        forward = 1 if _FORWARD.search(candidates[i].text) else 0
        return central + openness(candidates[i].text) + forward

    chosen: list[int] = []
    for i in sorted(range(len(candidates)), key=lambda i: (-weight(i), i)):
        if len(chosen) >= limit:
            break
        if any(
            len(words[i] & words[j]) > _SAME_TOPIC * max(1, min(len(words[i]), len(words[j])))
            for j in chosen
        ):
            continue
        chosen.append(i)
    return [candidates[i] for i in sorted(chosen)]
