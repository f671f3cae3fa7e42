"""The words of saying "no", in one place: for a parsed clause (the token that negates it) and
for a stance as written (its wording opposes, refuses or denies). General English; nothing here
is taken from any article. Pure, no I/O."""

from __future__ import annotations

import re

# Tokens that negate the word they modify, with the negative adverbs of degree: "can hardly
# be", "barely get" say next to no.
NEGATORS = frozenset({"not", "n't", "never", "no", "nor", "cannot", "hardly", "barely", "scarcely"})

# A stance that says "no" as written: negation and refusal words ("opposed", not "opposite");
# "against" only after a verb of standing or speaking ("voted against", "is against"), since
# "a strike against" states no position.
NEGATIVE = re.compile(
    r"\b(not|no|never|none|nor|oppos(?:e|es|ed|ing|ition)|reject\w*|refus\w*|den(y|ies|ied)|"
    r"cannot|won't|will not|declin\w*|\w+n['’]t|(is|are|was|were|be|been|remains?|stands?|"
    r"stood|voted?|votes|spoke|speaks?|argued?|argues|warned?|warns|came out|come out)"
    r"\s+against)\b",
    re.IGNORECASE,
)


# A lead that refuses to speak rather than denies ("declined to say", "has yet to confirm"):
# what follows is neither said nor denied.
REFUSAL = re.compile(r"\b(?:declin|refus|fail)\w*\s+to\b|\byet\s+to\b", re.IGNORECASE)


def says_no(text: str) -> bool:
    """Whether a stance's wording says "no" (negates, opposes, refuses or denies)."""
    return NEGATIVE.search(text) is not None
