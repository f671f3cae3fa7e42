"""How many "Possibly inconsistent" flags the offline digest raises: per day, and across days
as the history would compare them (one actor's positions pooled over all the digests given).

    briefer digest DAY_DIR --no-history -f json -o DAY.json      # offline, one per day
    python -m bench.contradictions.count DAY.json ... [--items OUT.json]

`--items` writes each flag with the two articles' headlines, stances and evidence, for reading
(`INSTRUCTIONS.md`). The flags are computed anew from the digests' actors and positions, so a
digest made before a change of the rule is counted by the rule of the checkout.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from briefer.digests import synthesis
from briefer.schema import DigestArticle, IndexedActor


def flags(digests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The flags raised on `digests` taken as one day, each with its evidence."""
    articles = [DigestArticle.model_validate(a) for d in digests for a in d["articles"]]
    pooled: dict[str, dict[str, Any]] = {}
    for digest in digests:
        for actor in digest["actors"]:
            known = pooled.setdefault(actor["name"], {**actor, "positions": []})
            known["positions"] += actor["positions"]
    actors = [IndexedActor.model_validate({**a, "contradictions": []}) for a in pooled.values()]
    synthesis._polarity_conflicts(actors, articles)
    headlines = {a.id: a.briefing.headline for a in articles}
    found = []
    for actor in actors:
        for flag in actor.contradictions:
            sides = []
            for article in flag.articles:
                position = next(
                    p for p in actor.positions if p.article == article and p.stance in flag.note
                )
                evidence = position.evidence[0].quote if position.evidence else None
                sides.append(
                    {
                        "article": article,
                        "headline": headlines.get(article),
                        "stance": position.stance,
                        "evidence": evidence,
                    }
                )
            found.append({"actor": actor.name, "sides": sides})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("digests", nargs="+", type=Path)
    parser.add_argument("--items", type=Path, help="write the flags with their evidence here")
    args = parser.parse_args()
    loaded = [json.loads(path.read_text(encoding="utf-8")) for path in args.digests]
    per_day = {
        path.stem: flags([digest]) for path, digest in zip(args.digests, loaded, strict=True)
    }
    across = flags(loaded)
    articles = sum(len(d["articles"]) for d in loaded)
    for day, found in per_day.items():
        if found:
            print(f"{day}: {len(found)}")
    busiest = max((len(f) for f in per_day.values()), default=0)
    print(
        f"{len(loaded)} days, {articles} articles: {sum(map(len, per_day.values()))} flags"
        f" (at most {busiest} a day); pooled across days: {len(across)}"
    )
    if args.items:
        everything = [f for found in per_day.values() for f in found] + across
        args.items.write_text(json.dumps(everything, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
