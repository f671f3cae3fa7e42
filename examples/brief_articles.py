"""Brief the example articles from Python and list who wants what.

    python examples/brief_articles.py                      # offline engine, no key needed
    OPENAI_API_KEY=sk-... python examples/brief_articles.py
    python examples/brief_articles.py --base-url http://localhost:11434/v1 --model llama3.1
"""

from __future__ import annotations

import argparse
from pathlib import Path

import briefer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--base-url", default=None)
    args = parser.parse_args()
    articles = sorted((Path(__file__).parent / "articles").glob("*.*"))
    for outcome in briefer.summarize_many(articles, model=args.model, base_url=args.base_url):
        if outcome.briefing is None:
            print(f"{outcome.source}: failed: {outcome.error}")
            continue
        briefing = outcome.briefing
        print(f"\n== {briefing.headline}  [{briefing.engine.name}]")
        for position in briefing.positions[:5]:
            print(f"- {position.actor}: {position.stance}")
        for issue in briefing.open_issues[:3]:
            print(f"  open: {issue.issue}")


if __name__ == "__main__":
    main()
