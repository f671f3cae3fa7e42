"""Words of a text for comparing texts: content words (no stopwords, no numbers) and the
stopwords they leave out. Pure functions."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W\d_][\w'-]{2,}")
STOPWORDS = frozenset(
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


def content_words(text: str) -> list[str]:
    """Content words of a text: lower case, no stopwords, no numbers."""
    return [w for w in WORD.findall(text.lower()) if w not in STOPWORDS]
