"""Precision and recall of the offline engine's openness marks on a blind-labelled pool.

python -m bench.open_issues.score_pool [bench/open_issues/session8]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from briefer.engines.extractive.issues import marks_open
from briefer.engines.extractive.sections import openness

from .sample import read_labels


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "session8")
    items = {}
    for line in (folder / "items.txt").read_text(encoding="utf-8").splitlines():
        if found := re.match(r"\[(\d+)\]\s+(.*)", line):
            items[found.group(1)] = found.group(2)
    labels = read_labels(folder)
    predicates = {
        "marks_open": marks_open,
        "openness >= 2": lambda text: openness(text) >= 2,
        "openness >= 3": lambda text: openness(text) >= 3,
    }
    print(f"{len(items)} items, {sum(v == 'OPEN' for v in labels.values())} open")
    for name, predicate in predicates.items():
        chosen = [key for key, text in items.items() if predicate(text)]
        hits = sum(labels[key] == "OPEN" for key in chosen)
        opened = sum(label == "OPEN" for label in labels.values())
        print(
            f"{name:15} chosen {len(chosen):3}  precision {hits / max(1, len(chosen)):.2f}"
            f"  recall {hits / max(1, opened):.2f}"
        )


if __name__ == "__main__":
    main()
