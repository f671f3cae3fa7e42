"""Side by side, offline: briefer against LangChain's map-reduce summarisation set up as its
documentation does (the "Summarize Text" tutorial: CharacterTextSplitter.from_tiktoken_encoder
with 1,000-token chunks, a map prompt per chunk, summaries collapsed while they exceed 1,000
tokens, one final reduce), on the same local fake server and the same articles.

    pip install '.[dev,bench]' && python -m bench.versus_langchain [--latency 0.5]

Both run at the same concurrency against a server that answers every call after the same
latency. Prompt tokens are counted the same way for both: every message sent, plus the JSON
schema when one is sent, with one tokenizer. What each returns differs: LangChain a prose
summary, briefer a structured briefing with located quotes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import briefer
from briefer.api import to_article
from briefer.readers.sources import Article
from briefer.tokens import OFFLINE_ENCODING, tokenizer_for
from tests.fake_openai import SENTENCE, FakeOpenAI, Reply

ROOT = Path(__file__).parent.parent
CONCURRENCY = 8
MAP_PROMPT = "Write a concise summary of the following:\n\n{context}"
REDUCE_PROMPT = (
    "The following is a set of summaries:\n{docs}\n"
    "Take these and distill it into a final, consolidated summary of the main themes."
)
TOKEN_MAX = 1000


@dataclass
class Run:
    calls: int
    prompt_tokens: int
    seconds: float


def articles() -> list[tuple[str, Article]]:
    """Short, medium and 12,000+ words. The long one is compiled from every example article,
    then the special report's paragraphs again, until it passes 12,000 words."""
    read = to_article
    short = read(ROOT / "examples/articles/azerbaijan-nato.txt")
    medium = read(ROOT / "examples/articles/river-accord-special-report.txt")
    parts = [medium.text]
    for path in sorted((ROOT / "examples").glob("*/*.*")):
        if path.suffix in (".txt", ".md", ".html") and "output" not in path.parts:
            parts.append(read(path).text)
    extra = medium.text.split("\n\n")
    while len("\n\n".join(parts).split()) < 12_000:
        parts.append(extra.pop())
    long = Article(text="\n\n".join(parts), title="Compiled long report")
    return [("short", short), ("medium", medium), ("long", long)]


def prompt_tokens(requests: list[dict[str, Any]]) -> int:
    count = tokenizer_for("gpt-4o-mini").count
    total = 0
    for request in requests:
        total += sum(count(m.get("content") or "") + 4 for m in request["messages"])
        schema = (request.get("response_format") or {}).get("json_schema")
        if schema:
            total += count(json.dumps(schema["schema"], separators=(",", ":")))
    return total


def summary_for_others(request: dict[str, Any], latency: float) -> Reply | None:
    """LangChain's requests (no briefer markers) get what a model asked for "a concise
    summary" returns: a few sentences of the text; briefer's fall through to the fake's
    diligent briefing."""
    messages = request["messages"]
    if any("<<<" in (m.get("content") or "") for m in messages):
        return None
    text = " ".join(m.get("content") or "" for m in messages if m["role"] == "user")
    sentences = [s.strip() for s in SENTENCE.findall(text)]
    return Reply(content=" ".join(sentences[1:4])[:600] or "Nothing to summarise.", delay=latency)


def run_briefer(server: FakeOpenAI, article: Article) -> Run:
    settings = briefer.Settings.load(
        base_url=server.url,
        api_key="bench",
        model="gpt-4o-mini",
        concurrency=CONCURRENCY,
        use_cache=False,
    )
    before = len(server.requests)
    started = time.perf_counter()
    briefer.summarize(article, settings=settings)
    seconds = time.perf_counter() - started
    sent = server.requests[before:]
    return Run(len(sent), prompt_tokens(sent), seconds)


def run_langchain(server: FakeOpenAI, article: Article) -> Run:
    import httpx
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_openai import ChatOpenAI
    from langchain_text_splitters import CharacterTextSplitter

    # One HTTP client per run: each run has its own event loop.
    http = httpx.AsyncClient()
    llm = ChatOpenAI(
        model="gpt-4o-mini",
        temperature=0,
        base_url=server.url,
        api_key="bench",
        max_retries=0,
        http_async_client=http,
    )
    # The tutorial splits with tiktoken's cl100k_base; its offline copy has the same ranks.
    splitter = CharacterTextSplitter.from_tiktoken_encoder(
        encoding_name=OFFLINE_ENCODING, chunk_size=1000, chunk_overlap=0
    )
    count = tokenizer_for("gpt-4o-mini").count
    map_chain = ChatPromptTemplate.from_messages([("human", MAP_PROMPT)]) | llm
    reduce_chain = ChatPromptTemplate.from_messages([("human", REDUCE_PROMPT)]) | llm
    gate = asyncio.Semaphore(CONCURRENCY)

    async def ask(chain: Any, values: dict[str, str]) -> str:
        async with gate:
            return str((await chain.ainvoke(values)).content)

    def batches(summaries: list[str]) -> list[list[str]]:
        # langchain's split_list_of_docs: consecutive groups of at most TOKEN_MAX tokens.
        groups: list[list[str]] = [[]]
        for summary in summaries:
            if groups[-1] and sum(map(count, groups[-1] + [summary])) > TOKEN_MAX:
                groups.append([])
            groups[-1].append(summary)
        return groups

    async def map_reduce() -> str:
        chunks = splitter.split_text(article.text)
        summaries = await asyncio.gather(*(ask(map_chain, {"context": c}) for c in chunks))
        summaries = list(summaries)
        while sum(map(count, summaries)) > TOKEN_MAX:
            summaries = list(
                await asyncio.gather(
                    *(ask(reduce_chain, {"docs": "\n\n".join(g)}) for g in batches(summaries))
                )
            )
        final = await ask(reduce_chain, {"docs": "\n\n".join(summaries)})
        await http.aclose()
        return final

    before = len(server.requests)
    started = time.perf_counter()
    asyncio.run(map_reduce())
    seconds = time.perf_counter() - started
    sent = server.requests[before:]
    return Run(len(sent), prompt_tokens(sent), seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.5)
    args = parser.parse_args()
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        os.environ.pop(name, None)
    os.environ["BRIEFER_CACHE_DIR"] = tempfile.mkdtemp()
    server = FakeOpenAI()
    server.latency = args.latency
    server.responder = lambda request: summary_for_others(request, args.latency)
    count = tokenizer_for("gpt-4o-mini").count
    print(
        f"latency {args.latency:.1f} s per call, concurrency {CONCURRENCY}, model budgets of"
        " gpt-4o-mini (128k context); tokens counted with one tokenizer for both"
    )
    header = (
        f"{'article':8} {'words':>6} {'tokens':>6} | {'calls':>5} {'prompt':>7} {'wall s':>6}"
        f" | {'calls':>5} {'prompt':>7} {'wall s':>6} | {'calls':>6} {'prompt':>6} {'wall':>6}"
    )
    print(f"{'':22} | {'briefer':^20} | {'LangChain map-reduce':^20} | {'briefer / LangChain':^20}")
    print(header)
    warm_up = Article(text="A short text to load both stacks before timing. " * 20)
    run_briefer(server, warm_up)
    run_langchain(server, warm_up)
    overhead = 0
    for label, article in articles():
        ours = run_briefer(server, article)
        theirs = run_langchain(server, article)
        tokens = count(article.text)
        overhead = max(overhead, ours.prompt_tokens - tokens) if ours.calls == 1 else overhead
        print(
            f"{label:8} {len(article.text.split()):>6} {tokens:>6} | {ours.calls:>5}"
            f" {ours.prompt_tokens:>7} {ours.seconds:>6.2f} | {theirs.calls:>5}"
            f" {theirs.prompt_tokens:>7} {theirs.seconds:>6.2f} |"
            f" {ours.calls / theirs.calls:>6.2f} {ours.prompt_tokens / theirs.prompt_tokens:>6.2f}"
            f" {ours.seconds / theirs.seconds:>6.2f}"
        )
    print(
        f"briefer's fixed instruction + schema overhead per call (largest seen): {overhead} tokens"
    )
    server.close()


if __name__ == "__main__":
    main()
