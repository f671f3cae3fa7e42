"""The map request's instruction block (issue 19): what a briefing request costs beyond the
article, and whether a prompt holds quality, measured with answers written by reading.

    python -m bench.instructions overhead                    # seed article, devset: the bound
    python -m bench.instructions overhead --server URL -m M  # as a real server counts
    python -m bench.instructions record LABEL CASE [CASE ...]  # -> bench/instructions/LABEL/
    python -m bench.instructions replay OUT LABEL [LABEL ...]
    python3 ../shared/devset/score.py OUT/gold OUT/LABEL --articles ../shared/devset/articles

The bound: prompt tokens <= 1.05 x article + 1,000, i.e. at most about 1,000 tokens of system
prompt, schema, sentence ids and metadata around the article. Counted with briefer's tokenizer
(the schema as the compact JSON the request carries), and with `--server` as the server itself
reports it in `usage.prompt_tokens` (one request with max_tokens 1; the article alone, sent as
the only message, gives the server's count of the article).

`record` writes, per devset case, the request briefer sends (`<case>.request.json`) and the same
request as a model reads it (`<case>.prompt.txt`). Answers are `<case>.answer.json`: the JSON a
careful model returns to that prompt, written by reading it (a helper session given only the
prompt file). `replay` briefs each answered case through the fake server with its answer, so
the briefings go through briefer's real parsing, citation expansion and grounding.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import openai

import briefer
from bench.relay import CountingRelay
from briefer.readers.sources import load_file
from briefer.token_budget import json_tokens, message_tokens
from briefer.tokens import tokenizer_for
from tests.fake_openai import FakeOpenAI, Reply

HERE = Path(__file__).parent / "instructions"
ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset"
SEED = ROOT / "examples" / "articles" / "azerbaijan-nato.txt"
MODEL = "gpt-4o-mini"
BOUND_FACTOR = 1.05
BOUND_TOKENS = 1000
REPLY_CAP = 256


def _settings(server: FakeOpenAI, cache_dir: str) -> briefer.Settings:
    return briefer.Settings.load(
        base_url=server.url, api_key="bench", model=MODEL, cache_dir=cache_dir
    )


def recorded_request(server: FakeOpenAI, path: Path) -> dict[str, Any]:
    """The first request briefer sends to brief `path` (the fake's default answer ends the run)."""
    server.reset()
    with tempfile.TemporaryDirectory() as cache_dir:
        briefer.summarize(path, settings=_settings(server, cache_dir))
    request = dict(server.requests[0])
    request.pop("_headers", None)
    return request


def _parts(request: dict[str, Any], article: str) -> dict[str, int]:
    count = tokenizer_for(MODEL).count
    system, user = request["messages"][0], request["messages"][-1]
    schema = request.get("response_format") or request.get("tools") or {}
    prompt = message_tokens(count, request["messages"]) + json_tokens(count, schema)
    return {
        "article": count(article),
        "system": message_tokens(count, [system]),
        "user": message_tokens(count, [user]),
        "schema": json_tokens(count, schema),
        "prompt": prompt,
    }


def _bound(article: int) -> int:
    return int(BOUND_FACTOR * article + BOUND_TOKENS)


def overhead() -> None:
    """Briefer's count of the seed article's request and each devset article's."""
    server = FakeOpenAI()
    try:
        paths = [SEED, *sorted((DEVSET / "articles").glob("*.txt"))]
        print(f"{'article':22} {'article':>7} {'system':>6} {'user':>6} {'schema':>6}", end="")
        print(f" {'prompt':>6} {'block':>5} {'bound':>6} ok")
        for path in paths:
            row = _parts(recorded_request(server, path), load_file(path).text)
            block = row["prompt"] - row["article"]
            fits = row["prompt"] <= _bound(row["article"])
            print(
                f"{path.stem[:22]:22} {row['article']:>7} {row['system']:>6} {row['user']:>6}"
                f" {row['schema']:>6} {row['prompt']:>6} {block:>5} {_bound(row['article']):>6}"
                f" {'yes' if fits else 'NO'}"
            )
    finally:
        server.close()


def overhead_on_server(url: str, model: str) -> None:
    """The seed article briefed through a real server: each request as the server counted it,
    in the structured mode it accepted, against the server's count of the article alone."""
    relay = CountingRelay(url)
    try:
        with tempfile.TemporaryDirectory() as cache_dir:
            # The prompt is what is measured: a short reply keeps a slow local model quick,
            # and a weak model's unusable reply still leaves its requests counted.
            settings = briefer.Settings.load(
                base_url=relay.url,
                api_key="bench",
                model=model,
                cache_dir=cache_dir,
                max_output_tokens=REPLY_CAP,
            )
            try:
                outcome = f"{len(briefer.summarize(SEED, settings=settings).actors)} actors"
            except briefer.BrieferError as failed:
                outcome = f"failed: {failed}"
        article = load_file(SEED).text
        client = openai.OpenAI(base_url=url, api_key="bench")
        alone = _server_prompt_tokens(client, model, article)
        bare = _server_prompt_tokens(client, model, "")
    finally:
        relay.close()
    article_tokens = alone - bare
    print(f"article as the server counts it: {article_tokens}; bound {_bound(article_tokens)}")
    for body, status, prompt in relay.seen:
        if status != 200:
            continue
        shape = body.get("response_format") or {}
        mode = "tool" if body.get("tools") else shape.get("type", "plain")
        if len(body["messages"]) > 2:
            # A repair carries the model's failed reply: not the briefing request measured.
            print(f"  {mode} repair request: prompt {prompt}")
            continue
        verdict = "ok" if prompt <= _bound(article_tokens) else "OVER"
        print(f"  {mode}: prompt {prompt}, block {prompt - article_tokens}: {verdict}")
    print(f"briefing: {outcome}")


def _server_prompt_tokens(client: openai.OpenAI, model: str, content: str) -> int:
    response = client.chat.completions.create(
        model=model, max_tokens=1, messages=[{"role": "user", "content": content}]
    )
    assert response.usage is not None
    return response.usage.prompt_tokens


def record(label: str, cases: list[str]) -> None:
    """The exact request for each case, as JSON and as the text a model reads."""
    folder = HERE / label
    folder.mkdir(parents=True, exist_ok=True)
    server = FakeOpenAI()
    try:
        for case in cases:
            request = recorded_request(server, DEVSET / "articles" / f"{case}.txt")
            (folder / f"{case}.request.json").write_text(
                json.dumps(request, indent=1, ensure_ascii=False) + "\n"
            )
            (folder / f"{case}.prompt.txt").write_text(readable(request))
            print(f"recorded {label}/{case}")
    finally:
        server.close()


def readable(request: dict[str, Any]) -> str:
    """The request as a model reads it: its messages, then the schema the reply must follow."""
    parts = [
        f"===== {m['role'].upper()} MESSAGE =====\n{m['content']}" for m in request["messages"]
    ]
    response_format = request.get("response_format") or {}
    if schema := response_format.get("json_schema", {}).get("schema"):
        parts.append(
            "===== RESPONSE FORMAT (the reply must be JSON valid against this strict JSON"
            f" Schema) =====\n{json.dumps(schema, ensure_ascii=False)}"
        )
    return "\n\n".join(parts) + "\n"


def replay(out: Path, labels: list[str]) -> None:
    """Brief each answered case with its answer; write OUT/<label>/<case>.json and the gold of
    every answered case to OUT/gold."""
    server = FakeOpenAI()
    gold = out / "gold"
    gold.mkdir(parents=True, exist_ok=True)
    try:
        for label in labels:
            (out / label).mkdir(parents=True, exist_ok=True)
            for path in sorted((HERE / label).glob("*.answer.json")):
                case = path.name.removesuffix(".answer.json")
                answer = json.loads(path.read_text())
                server.reset()
                server.responder = lambda request, answer=answer: Reply(content=answer)
                with tempfile.TemporaryDirectory() as cache_dir:
                    briefing = briefer.summarize(
                        DEVSET / "articles" / f"{case}.txt", settings=_settings(server, cache_dir)
                    )
                (out / label / f"{case}.json").write_text(briefing.model_dump_json(indent=1))
                shutil.copy(DEVSET / "gold" / f"{case}.json", gold / f"{case}.json")
                for warning in briefing.warnings:
                    print(f"  {label}/{case}: {warning}")
                print(
                    f"{label}/{case}: {len(briefing.actors)} actors,"
                    f" {len(briefing.positions)} positions, {len(briefing.open_issues)} issues"
                )
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    counting = commands.add_parser("overhead")
    counting.add_argument("--server", help="a real OpenAI-compatible /v1 URL to count with")
    counting.add_argument("-m", "--model", default="smollm2")
    recording = commands.add_parser("record")
    recording.add_argument("label")
    recording.add_argument("cases", nargs="+")
    replaying = commands.add_parser("replay")
    replaying.add_argument("out", type=Path)
    replaying.add_argument("labels", nargs="+")
    arguments = parser.parse_args()
    if arguments.command == "overhead":
        if arguments.server:
            overhead_on_server(arguments.server, arguments.model)
        else:
            overhead()
    elif arguments.command == "record":
        record(arguments.label, arguments.cases)
    else:
        replay(arguments.out, arguments.labels)


if __name__ == "__main__":
    main()
