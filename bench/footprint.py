"""Footprint, offline: import time of `briefer --help` against importing the heavy packages
it defers, peak memory of a 500-article digest with the offline engine, chunker throughput.

    python -m bench.footprint [--articles 500]

Figures are from one run on whatever machine runs it; read them as ratios.
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.digest import write_articles
from briefer.briefing import chunking
from briefer.tokens import tokenizer_for

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


def import_milliseconds(code: str) -> float:
    """Cumulative import time (ms) of everything `code` imports, from `python -X importtime`."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
    )
    total = 0
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
        if match and len(match.group(2)) == 1:  # top-level imports only: no double counting
            total += int(match.group(1))
    return total / 1000


def import_times(rounds: int = 5) -> None:
    help_code = (
        "import sys; from briefer.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass"
    )
    eager_code = help_code.replace(
        "from briefer.cli import cli",
        "import openai, langchain_core.prompts, tiktoken, briefer.api\nfrom briefer.cli import cli",
    )
    lazy = min(import_milliseconds(help_code) for _ in range(rounds))
    eager = min(import_milliseconds(eager_code) for _ in range(rounds))
    print(f"briefer --help imports: {lazy:.0f} ms (lazy, as shipped)")
    print(
        f"  with openai, langchain-core, tiktoken and the library imported up front: {eager:.0f} ms"
        f" ({eager / lazy:.1f}x)"
    )


def digest_memory(count: int) -> None:
    folder = Path(tempfile.mkdtemp()) / "news"
    folder.mkdir()
    write_articles(folder, count)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1_048_576
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "briefer",
            "digest",
            str(folder),
            "--engine",
            "extractive",
            "--no-history",
            "-q",
            "-f",
            "json",
            "-o",
            str(folder.parent / "digest.json"),
        ],
        check=True,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"offline digest of {count} articles ({size:.1f} MB of text): {seconds:.1f} s,"
        f" peak memory {peak:.0f} MB"
    )


def chunker_throughput() -> None:
    text = "\n\n".join(p.read_text() for p in sorted(EXAMPLES.iterdir())) * 40
    count = tokenizer_for("gpt-4o-mini").count
    count("warm up")
    started = time.perf_counter()
    chunks = chunking.split(text, 2000, count, overlap=100)
    seconds = time.perf_counter() - started
    megabytes = len(text.encode()) / 1_048_576
    print(
        f"chunker: {megabytes:.1f} MB into {len(chunks)} chunks of <= 2,000 tokens in"
        f" {seconds:.2f} s = {megabytes / seconds:.1f} MB/s (token counting included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    import_times()
    digest_memory(args.articles)
    chunker_throughput()


if __name__ == "__main__":
    main()
