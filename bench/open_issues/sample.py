"""Draw open issues from offline digests for a blind reading (issue 21's "open issues are open").

    python -m bench.open_issues.sample OUT_DIR DAY.json [DAY.json ...] [--top 10] [--drawn 15]
        [--seed 11]
    python -m bench.open_issues.sample OUT_DIR --score

Per digest (`briefer digest DAY -f json -o DAY.json`): the digest's `--top` open issues and
`--drawn` issues drawn at random from its articles' briefings; all shuffled together into
OUT_DIR/items.txt (`[n] issue`, what the reader sees) and OUT_DIR/key.json (where each came
from, which the reader must not see). The reader follows INSTRUCTIONS.md and writes
OUT_DIR/labels.txt; `--score OUT_DIR` then counts OPEN per kind.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path


def draw(digests: list[Path], top: int, drawn: int, seed: int) -> list[dict[str, str | None]]:
    rng = random.Random(seed)
    items: list[dict[str, str | None]] = []
    for path in digests:
        digest = json.loads(path.read_text(encoding="utf-8"))
        day = str(digest.get("date") or path.stem)
        for issue in digest["open_issues"][:top]:
            items.append(
                {"day": day, "kind": "digest-top", "article": None, "issue": issue["issue"]}
            )
        pool = [
            (article["id"], issue["issue"])
            for article in digest["articles"]
            for issue in (article.get("briefing") or {}).get("open_issues", [])
        ]
        for article_id, text in rng.sample(pool, min(drawn, len(pool))):
            items.append({"day": day, "kind": "article", "article": article_id, "issue": text})
    rng.shuffle(items)
    return items


def write(out: Path, items: list[dict[str, str | None]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"[{n}] {' '.join(str(item['issue']).split())}" for n, item in enumerate(items, 1)]
    (out / "items.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    key = {
        str(n): {k: item[k] for k in ("day", "kind", "article")} for n, item in enumerate(items, 1)
    }
    (out / "key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")


def read_labels(folder: Path) -> dict[str, str]:
    """A reader's labels.txt: item number → OPEN or NOT."""
    lines = (folder / "labels.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split()[:2] for line in lines if line.strip())


def score(out: Path) -> str:
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    labels = read_labels(out)
    opened: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for n, where in key.items():
        total[where["kind"]] += 1
        opened[where["kind"]] += labels.get(n) == "OPEN"
    rows = [f"{kind}: {opened[kind]} / {total[kind]}" for kind in sorted(total)]
    read, found = sum(total.values()), sum(opened.values())
    return f"open {found} / {read} = {found / read:.0%} ({'; '.join(rows)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("digests", type=Path, nargs="*")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--drawn", type=int, default=15)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--score", action="store_true", help="count the labels in OUT instead")
    args = parser.parse_args()
    if args.score:
        print(score(args.out))
        return
    write(args.out, draw(args.digests, args.top, args.drawn, args.seed))
    print(f"wrote {args.out / 'items.txt'}")


if __name__ == "__main__":
    main()
