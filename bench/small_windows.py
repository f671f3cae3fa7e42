"""Long articles on small context windows, offline: issue 19's scenarios against the local
fake server, which enforces its window on every request and counts tokens with its own
tokenizer (more than briefer's), as a real server may.

    python -m bench.small_windows [--words 11000]
    python -m bench.small_windows --server http://127.0.0.1:8765/v1 -m smollm2 --words 5500

With --server, one run against a real OpenAI-compatible server instead (llama.cpp's, started
with `--n_ctx 4096` as in ../shared/wheels/README.md), told its window with --context-window or
not: through a relay that records each request, the status it got and the prompt tokens the
server counted.

For each scenario: the calls a --dry-run plans, the calls sent, the 400s the server gave for
requests past its window, the consolidation calls, and the largest request the server
answered (prompt as it counted it + output allowance) against its window. The article is real
news (../shared/devset/articles, else examples/articles) joined to the word count asked.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import briefer
from bench.relay import CountingRelay
from briefer.token_budget import request_tokens
from briefer.tokens import tokenizer_for
from tests.fake_openai import FakeOpenAI, server_tokens

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "devset" / "articles"

# (what the server holds, what briefer is told, the model named, the output cap given)
SCENARIOS = [
    (8000, 8000, "gpt-4o-mini", None),
    (6000, None, "llama-local", None),
    (4096, 4096, "gpt-4o-mini", 2048),
    (4096, None, "phi3", None),
]


def real_news(words: int) -> str:
    folder = DEVSET if DEVSET.is_dir() else ROOT / "examples" / "articles"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    joined: list[str] = []
    while sum(len(t.split()) for t in joined) < words:
        joined.append(texts[len(joined) % len(texts)])
    return "A long report\n\n" + "\n\n".join(joined)


def on_real_server(article: briefer.Article, url: str, model: str, window: int | None) -> None:
    """Brief `article` through a real server; print what it counted and refused."""
    relay = CountingRelay(url)
    count = tokenizer_for(model, allow_download=False).count
    started = time.monotonic()
    try:
        # llama.cpp's server answers one request at a time: more in flight only queue past
        # the timeout, as a user of it sets too.
        settings = briefer.Settings.load(
            base_url=relay.url,
            api_key="bench",
            model=model,
            cache_dir=tempfile.mkdtemp(),
            concurrency=1,
            timeout=600,
            context_window=window,
        )
        try:
            briefing = briefer.summarize(article, settings=settings)
            result = f"ok: {len(briefing.actors)} actors, {len(briefing.positions)} positions"
            result += "".join(f"\n  warning: {w}" for w in briefing.warnings)
        except briefer.BrieferError as exc:
            result = f"failed: {exc}"
    finally:
        relay.close()
    for body, status, prompt in relay.seen:
        shape = body.get("response_format") or {}
        mode = "tool" if body.get("tools") else shape.get("type", "plain")
        kind = "consolidation" if "<<<PARTIALS" in str(body["messages"]) else "map"
        kind = "repair" if len(body["messages"]) > 2 else kind
        print(
            f"  {status} {kind:13} {mode:11} prompt {prompt or '-':>5} (briefer's count"
            f" {request_tokens(count, body['messages'], *_schemas(body))}),"
            f" output allowance {body.get('max_tokens')}"
        )
    answered = [(body, prompt) for body, status, prompt in relay.seen if status == 200]
    refused = [status for _, status, _ in relay.seen if status != 200]
    largest = max((prompt + (body.get("max_tokens") or 0) for body, prompt in answered), default=0)
    print(
        f"{len(relay.seen)} requests, {len(answered)} answered, refused: {refused or 'none'};"
        f" largest answered prompt + output allowance as the server counted: {largest};"
        f" {time.monotonic() - started:.0f} s"
    )
    print(result)


def _schemas(body: dict[str, Any]) -> list[Any]:
    return [x for x in (body.get("response_format"), body.get("tools")) if x]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=11_000)
    parser.add_argument("--server", help="a real OpenAI-compatible /v1 URL")
    parser.add_argument("-m", "--model", default="smollm2")
    parser.add_argument("--context-window", type=int, help="tell briefer the server's window")
    args = parser.parse_args()
    article = briefer.Article.from_text(real_news(args.words))
    if args.server:
        print(f"an article of {len(article.text.split()):,} words against {args.server}")
        on_real_server(article, args.server, args.model, args.context_window)
        return
    server = FakeOpenAI()
    print(f"an article of {len(article.text.split()):,} words; the server counts its own tokens")
    print(
        f"{'window':>6} {'told':>5} {'model':12} {'planned':>7} {'sent':>5} {'400s':>4}"
        f" {'consol':>6} {'largest':>7}  result"
    )
    try:
        for window, told, model, cap in SCENARIOS:
            server.reset()
            server.context_window = window
            settings = briefer.Settings.load(
                base_url=server.url,
                api_key="bench",
                model=model,
                context_window=told,
                max_output_tokens=cap,
                cache_dir=tempfile.mkdtemp(),
                use_history=False,
            )
            [plan] = briefer.plan([article], settings=settings)
            planned = plan.calls if isinstance(plan, briefer.Plan) else 0
            try:
                briefer.summarize(article, settings=settings)
                result = "ok"
            except briefer.BrieferError as exc:
                result = f"failed: {str(exc)[:60]}"
            answered = [r for r, reply in server.served if reply.status == 200]
            largest = max(
                (server_tokens(r) + (r.get("max_tokens") or 0) for r in answered), default=0
            )
            consolidations = sum("<<<PARTIALS" in str(r["messages"]) for r in answered)
            print(
                f"{window:>6} {told or '-':>5} {model:12} {planned:>7} {len(server.requests):>5}"
                f" {server.over_window:>4} {consolidations:>6} {largest:>7}  {result}"
            )
    finally:
        server.close()


if __name__ == "__main__":
    main()
