"""Rate-limit benchmark on real news, offline: a digest of 64 articles of one real day against
the local fake server metering 60 requests and 40,000 tokens per minute over a strict
sliding window, counting with its own tokenizer, and announcing its limits only in
x-ratelimit-* headers (no --rpm/--tpm given). Side by side: this checkout's pacing and a
baseline's (a git ref, main by default), one run each.

    python -m bench.ratewindow DAY_DIR [--articles 64] [--minute 3.0] [--baseline main]

DAY_DIR holds one real day as `<id>.txt` files (../shared/devset/newsday.py CACHE DAY_DIR
2017/2/9 1000); the first --articles of them in name order are briefed. To finish in a few
minutes, the "minute" lasts --minute seconds on the server and in the client
(briefer.pacing.MINUTE) alike. Each client is a separate process whose working folder is the
briefer source being measured (the baseline is `git archive`d into a temporary folder), so
neither pacing is patched; the server stays in this process and counts the 429s.

One run on 2017-02-09 (64 articles, 66 calls, minute = 3 s), against 29ad0e7 (the bucket
pacing): 25 429s and 15.79 minutes before, 1 429 and 15.58 minutes after; no article failed
in either.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RPM, TPM = 60, 40_000
ROOT = Path(__file__).resolve().parent.parent


def client(url: str, folder: str, minute: float) -> None:
    """The measured side: one digest, the briefer found first on sys.path (the cwd)."""
    import briefer
    from briefer import pacing

    pacing.MINUTE = minute
    settings = briefer.Settings.load(
        base_url=url, api_key="bench", cache_dir=tempfile.mkdtemp(), use_history=False
    )
    started = time.perf_counter()
    digest = briefer.digest([folder], settings=settings)
    print(
        json.dumps(
            {
                "source": str(Path(briefer.__file__).parent),
                "articles": len(digest.articles),
                "failed": len(digest.failures),
                "seconds": time.perf_counter() - started,
            }
        )
    )


def measure(source: Path, folder: Path, minute: float) -> dict[str, float | str]:
    """One digest by the briefer in `source`, against a fresh metering server."""
    from tests.fake_openai import FakeOpenAI, SlidingLimits

    server = FakeOpenAI()
    server.limits = limits = SlidingLimits(RPM, TPM, minute=minute)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")},
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "bench.ratewindow", "client", server.url, str(folder)]
    done = subprocess.run(
        [*command, str(minute)], cwd=source, env=env, capture_output=True, text=True
    )
    server.close()
    if done.returncode != 0:
        raise SystemExit(f"the client in {source} failed:\n{done.stderr}")
    result: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    calls = sum(1 for _, reply in server.served if reply.status == 200)
    result.update(refused=limits.refused, calls=calls)
    return result


def main() -> None:
    if sys.argv[1:2] == ["client"]:
        client(sys.argv[2], sys.argv[3], float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("day", type=Path)
    parser.add_argument("--articles", type=int, default=64)
    parser.add_argument("--minute", type=float, default=3.0)
    parser.add_argument("--baseline", default="main")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    folder = work / "news"
    folder.mkdir()
    for path in sorted(args.day.glob("*.txt"))[: args.articles]:
        shutil.copy(path, folder / path.name)
    baseline = work / "baseline"
    baseline.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", args.baseline, "briefer", "prompts"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive.stdout, check=True)
    count = len(list(folder.iterdir()))
    print(
        f"{count} articles of {args.day.name}; server: {RPM} RPM and {TPM:,} TPM over a sliding"
        f" window, its own tokenizer, limits in headers only; one minute = {args.minute:g} s"
    )
    print(f"{'pacing':<24}{'429s':>6}{'failed':>8}{'calls':>7}{'minutes':>9}")
    for label, source in ((f"baseline ({args.baseline})", baseline), ("this checkout", ROOT)):
        row = measure(source, folder, args.minute)
        minutes = float(row["seconds"]) / args.minute
        print(
            f"{label:<24}{row['refused']:>6}{row['failed']:>8}{row['calls']:>7}{minutes:>9.2f}"
            f"   ({row['source']})"
        )


if __name__ == "__main__":
    main()
