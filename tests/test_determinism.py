"""Same input, same output, whatever the process's hash seed: a set's iteration order must
never decide what a digest says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DIGEST_DAY, FEEDS
from .fake_openai import FakeOpenAI

INPUTS = [str(DIGEST_DAY), str(FEEDS / "evening-wire.xml")]
SEEDS = ("0", "1", "2", "3", "4")


def _digest(fmt: str, seed: str, *extra: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "BRIEFER_USE_HISTORY": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "briefer", "digest", *INPUTS, "--date", "2026-11-26", "-q"]
        + ["-f", fmt, *extra],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_a_cached_llm_digest_is_byte_identical_across_hash_seeds(
    fake: FakeOpenAI, fmt: str
) -> None:
    _digest(fmt, "100")  # fills the cache
    fake.requests.clear()
    first = _digest(fmt, SEEDS[0])
    for seed in SEEDS[1:]:
        assert _digest(fmt, seed) == first, f"PYTHONHASHSEED={seed} changed the digest"
    # Every later run was answered from the cache.
    assert fake.requests == []


def test_an_offline_digest_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    outputs = {_digest("json", seed) for seed in SEEDS[:3]}
    assert len(outputs) == 1
