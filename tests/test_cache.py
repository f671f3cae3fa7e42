from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import briefer
from briefer.cache import Cache, CachedResponse

from .fake_openai import FakeOpenAI

WRITER = """
import sys
from pathlib import Path
from briefer.cache import Cache, CachedResponse
cache = Cache(Path(sys.argv[1]))
for i in range(200):
    cache.put(f"{sys.argv[2]}-{i}", "m", CachedResponse("{}", i, i))
    assert cache.get(f"{sys.argv[2]}-{i}") is not None
"""


def test_two_processes_share_one_cache(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name]) for name in "ab"]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert Cache(path).info().entries == 400


def test_api_key_is_never_stored(fake: FakeOpenAI, seed_article, tmp_path: Path) -> None:
    briefer.summarize(seed_article)
    data = b"".join(p.read_bytes() for p in (tmp_path / "cache").iterdir())
    assert b"sk-test-secret" not in data
    assert Cache(tmp_path / "cache" / "cache.sqlite3").info().entries == 1


def test_corrupt_or_foreign_cache_gives_a_clear_error(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    with pytest.raises(briefer.CacheError, match="not a usable briefer cache"):
        Cache(corrupt)
    import sqlite3

    foreign = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(briefer.CacheError, match="another program"):
        Cache(foreign)


def test_no_cache_and_refresh(fake: FakeOpenAI, seed_article) -> None:
    briefer.summarize(seed_article)
    briefer.summarize(seed_article, use_cache=False)
    briefer.summarize(seed_article, refresh=True)
    assert len(fake.requests) == 3
    briefer.summarize(seed_article)
    assert len(fake.requests) == 3


def test_info_and_clear(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    cache.put("k", "m", CachedResponse("{}", 10, 5))
    assert cache.get("k") is not None
    info = cache.info()
    assert (info.entries, info.hits, info.prompt_tokens) == (1, 1, 10)
    assert cache.clear() == 1 and cache.info().entries == 0


def test_a_read_writes_nothing_and_hits_are_kept_at_close(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = Cache(path)
    cache.put("k", "m", CachedResponse("{}", 10, 5))
    cache.close()
    reader = Cache(path)
    before = reader._db.total_changes
    assert reader.get("k") is not None and reader.get("k") is not None
    assert reader._db.total_changes == before  # no write on the read path
    assert reader.info().hits == 2
    reader.close()
    assert Cache(path).info().hits == 2


def test_what_an_endpoint_accepts_is_one_record_kept_across_runs(tmp_path: Path) -> None:
    from briefer.engines.llm.endpoint import Accepted

    path = tmp_path / "cache.sqlite3"
    with_cache = Cache(path)
    learned = Accepted.recalled(with_cache, "http://127.0.0.1:1/v1", "small")
    assert (learned.structured_mode, learned.request_shape, learned.count_margin) == (
        None,
        None,
        None,
    )
    learned.took_mode("tool")
    learned.took_shape('{"output_limit": "max_tokens"}')
    # A server that counts fewer tokens than briefer never makes budgets grow.
    assert not learned.counts_more(0.8) and learned.count_margin is None
    assert learned.counts_more(1.3) and not learned.counts_more(1.2)
    with_cache.close()
    again = Accepted.recalled(Cache(path), "http://127.0.0.1:1/v1", "small")
    assert (again.structured_mode, again.request_shape, again.count_margin) == (
        "tool",
        '{"output_limit": "max_tokens"}',
        1.3,
    )
    # Another model at the same endpoint has learned nothing.
    assert Accepted.recalled(Cache(path), "http://127.0.0.1:1/v1", "large").count_margin is None
