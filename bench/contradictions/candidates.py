"""A pool of possible contradictions on real news, read blind once, to measure the digest's
contradiction rule by (issue 21): how many of the real ones it flags, and how many of its flags
are real.

    python -m bench.contradictions.candidates OUT_DIR DAY.json ... [--seed 12]   # the pool
    python -m bench.contradictions.candidates OUT_DIR DAY.json ... --score         # the rule

The pool is wide on purpose: every pair of one actor's stances in two articles, pooled across
the digests given (as a history sees them), that speak of one subject and where one says "no"
to a word the other says plainly (`changes.opposed` without `on_claims`: the word rule the
digest flagged by before session 9, which found every kind of real contradiction seen so far
and many more that are not). OUT_DIR/items.txt shows each pair as a reader would judge it
(`INSTRUCTIONS.md`), OUT_DIR/key.json says which actor and articles it is; the reader writes
OUT_DIR/labels.txt (`<n> REAL|NOT # why`). `--score` runs the checkout's rule over the same
digests (`count.flags`, pooled) and counts its flags against the labels.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from pathlib import Path
from typing import Any

from briefer.digests import changes, synthesis
from briefer.digests.polarity import stems
from briefer.schema import ActorPosition, DigestArticle

from ..open_issues.sample import read_labels
from .count import flags

Pair = tuple[str, ActorPosition, ActorPosition]


def pooled_pairs(digests: list[dict[str, Any]]) -> tuple[list[Pair], dict[str, set[str]]]:
    """One actor's stances in two articles across all digests (actors joined by name), not
    two cuts of one quotation; and the stems to ignore for each actor (its names, the common
    words of the days it appears on)."""
    positions: dict[str, list[ActorPosition]] = {}
    names: dict[str, set[str]] = {}
    for digest in digests:
        common = changes.common_stems([a["briefing"]["summary"] for a in digest["articles"]])
        for actor in digest["actors"]:
            positions.setdefault(actor["name"], []).extend(
                ActorPosition.model_validate(p) for p in actor["positions"]
            )
            ignored = names.setdefault(actor["name"], set())
            ignored |= common | set(stems(" ".join([actor["name"], *actor["aliases"]])))
    pairs = [
        (name, first, second)
        for name, held in positions.items()
        for first, second in itertools.combinations(held, 2)
        if first.article != second.article and not synthesis._same_quote(first, second)
    ]
    return pairs, names


def candidates(digests: list[dict[str, Any]]) -> list[Pair]:
    """The pairs the wide word rule opposes."""
    pairs, ignored = pooled_pairs(digests)
    polarity = changes.polarities([p.stance for _, a, b in pairs for p in (a, b)])
    if polarity is None:
        raise SystemExit("no spaCy pipeline: pip install '.[nlp]'")
    return [
        (name, a, b)
        for name, a, b in pairs
        if not (polarity[a.stance].refused and polarity[b.stance].refused)
        and changes.opposed(a.stance, b.stance, polarity, ignored[name])
    ]


def _side(label: str, article: DigestArticle | None, position: ActorPosition) -> list[str]:
    quote = position.evidence[0].quote if position.evidence else ""
    headline = article.briefing.headline if article else "?"
    return [
        f"  {label}. Article headline: {' '.join(headline.split())}",
        f"     Reported position: {' '.join(position.stance.split())}",
        f"     The article's own words: {' '.join(quote.split())}",
    ]


def write(out: Path, digests: list[dict[str, Any]], seed: int) -> int:
    articles = {a["id"]: DigestArticle.model_validate(a) for d in digests for a in d["articles"]}
    found = candidates(digests)
    random.Random(seed).shuffle(found)
    blocks, key = [], {}
    for n, (name, a, b) in enumerate(found, 1):
        blocks.append(
            "\n".join(
                [f"[{n}] Actor: {name}"]
                + _side("A", articles.get(a.article), a)
                + _side("B", articles.get(b.article), b)
            )
        )
        key[str(n)] = {"actor": name, "articles": sorted([a.article, b.article])}
    out.mkdir(parents=True, exist_ok=True)
    (out / "items.txt").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    (out / "key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    return len(found)


def score(out: Path, digests: list[dict[str, Any]]) -> str:
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    labels = read_labels(out)
    real = {(v["actor"], tuple(v["articles"])) for n, v in key.items() if labels.get(n) == "REAL"}
    judged = {(v["actor"], tuple(v["articles"])) for v in key.values()}
    flagged = {
        (f["actor"], tuple(sorted(side["article"] for side in f["sides"]))) for f in flags(digests)
    }
    hits = len(flagged & real)
    return (
        f"pool: {len(judged)} pairs read, {len(real)} real; the rule flags {len(flagged)}"
        f" ({len(flagged - judged)} outside the pool): {hits} real, "
        f"{len(flagged & judged) - hits} not; recall {hits}/{len(real)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("digests", nargs="+", type=Path)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--score", action="store_true", help="count the rule's flags instead")
    args = parser.parse_args()
    loaded = [json.loads(path.read_text(encoding="utf-8")) for path in args.digests]
    if args.score:
        print(score(args.out, loaded))
    else:
        print(f"{write(args.out, loaded, args.seed)} pairs → {args.out / 'items.txt'}")


if __name__ == "__main__":
    main()
