"""Batch API benchmark, offline: a 500-article digest with --batch against the local fake
server (jobs finish after a short simulated delay), killed while its jobs are in flight and run
again; then the requests per article and the cost estimate, synchronous against batch.

    python -m bench.batch [--articles 500] [--delay 4]

The fake server runs in this process; the digest runs as `python -m briefer` subprocesses.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import briefer
from bench.digest import write_articles
from tests.fake_openai import FakeOpenAI


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--delay", type=float, default=4.0, help="seconds a job takes")
    args = parser.parse_args()
    server = FakeOpenAI()
    server.batches.delay = args.delay
    folder = Path(tempfile.mkdtemp()) / "news"
    folder.mkdir()
    write_articles(folder, args.articles, seed=3)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))},
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": "bench",
        "BRIEFER_CACHE_DIR": tempfile.mkdtemp(),
        "BRIEFER_BATCH_POLL_SECONDS": "0.5",
    }
    command = [
        sys.executable,
        "-m",
        "briefer",
        "digest",
        str(folder),
        "--batch",
        "-q",
        "--no-history",
    ]

    plan = subprocess.run([*command, "--dry-run"], env=env, capture_output=True, text=True)
    print(f"{args.articles}-article digest with --batch, jobs taking {args.delay:g} s")
    for line in plan.stdout.splitlines():
        if line.startswith(("sync:", "batch:")):
            print(f"  plan (gpt-4o-mini list prices) {line}")

    started = time.perf_counter()
    first = subprocess.Popen([*command, "-o", str(folder.parent / "d.md")], env=env)
    while not server.batches.jobs:
        time.sleep(0.05)
    time.sleep(1.0)
    first.send_signal(signal.SIGKILL)
    first.wait()
    jobs_before = len(server.batches.jobs)
    print(f"  killed while {jobs_before} job(s) were in flight")
    done = subprocess.run(
        [*command, "-f", "json", "-o", str(folder.parent / "d.json")], env=env, check=False
    )
    seconds = time.perf_counter() - started
    digest = briefer.Digest.model_validate_json((folder.parent / "d.json").read_text())
    calls = server.batches.calls
    lines = sum(len(job.lines) for job in server.batches.jobs.values())
    print(
        f"  rerun: exit {done.returncode}, {len(digest.articles)} articles, "
        f"{len(digest.failures)} failed; jobs submitted in all: {len(server.batches.jobs)}"
        f" (resubmitted: {len(server.batches.jobs) - jobs_before}); {seconds:.1f} s end to end"
    )
    n = args.articles
    print(
        f"  HTTP requests: {lines} batch lines ({lines / n:.3f} per article) in"
        f" {calls['upload']} upload(s) and {calls['create']} job(s); {calls['retrieve']} polls,"
        f" {calls['content']} result download(s); {len(server.requests)} direct call(s)"
        f" ({len(server.requests) / n:.3f} per article: the synthesis)"
    )
    server.close()


if __name__ == "__main__":
    main()
