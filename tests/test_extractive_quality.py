"""The offline engine's scores on the annotated set must not regress.

python -m tests.test_extractive_quality     # prints the scores
"""

from __future__ import annotations

import json
from pathlib import Path

import briefer
from briefer.sources import load_file

from .conftest import EXAMPLES
from .scoring import Scores, score

GOLD = sorted((Path(__file__).parent / "gold").glob("*.json"))
# Floors just under the scores measured when the engine was written; raise them as it improves.
FLOORS = Scores(actor_f1=0.90, quote_recall=0.85, grounded=1.0, issue_recall=0.88)


def averaged(paths: list[Path] = GOLD) -> Scores:
    results = []
    for path in paths:
        gold = json.loads(path.read_text())
        article = load_file((EXAMPLES / gold["article"]).resolve())
        results.append(score(briefer.summarize(article, engine="extractive"), gold, article.text))
    return Scores(
        *(sum(getattr(r, f) for r in results) / len(results) for f in Scores.__annotations__)
    )


def test_scores_do_not_regress() -> None:
    scores = averaged()
    for field in Scores.__annotations__:
        assert getattr(scores, field) >= getattr(FLOORS, field), (field, scores)


def test_engine_is_deterministic(seed_article: Path) -> None:
    first = briefer.summarize(seed_article, engine="extractive")
    assert briefer.summarize(seed_article, engine="extractive") == first


if __name__ == "__main__":
    print(averaged())
