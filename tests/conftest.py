from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .fake_openai import FakeOpenAI
from .web_pages import WebPages

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real keys, endpoints, config or cache: each test gets its own."""
    import os

    for name in list(os.environ):
        if name.startswith(("OPENAI_", "BRIEFER_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFER_HISTORY", str(tmp_path / "history.sqlite3"))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run offline: resolving any host but the loopback fails at once, loudly."""
    import socket

    resolve = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", "::1", None):
            raise OSError(f"test tried to reach {host!r}: tests must not use the network")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    yield server
    server.close()


@pytest.fixture
def fake(fake_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """The fake server, emptied, with briefer pointed at it."""
    fake_server.reset()
    monkeypatch.setenv("OPENAI_BASE_URL", fake_server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-0123456789")
    yield fake_server
    fake_server.reset()


@pytest.fixture
def seed_article() -> Path:
    return EXAMPLES / "azerbaijan-nato.txt"


DIGEST_DAY = Path(__file__).parent.parent / "examples" / "digest"
FEEDS = Path(__file__).parent.parent / "examples" / "feeds"


@pytest.fixture(scope="session")
def web_server() -> Iterator[WebPages]:
    server = WebPages()
    yield server
    server.close()


@pytest.fixture
def web(web_server: WebPages, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebPages]:
    """A local web server: tests put pages at paths and read `url(path)`. It is on the
    loopback, which briefer refuses unless told that private addresses are fine."""
    monkeypatch.setenv("BRIEFER_ALLOW_PRIVATE_URLS", "1")
    web_server.pages.clear()
    web_server.hits.clear()
    web_server.hosts.clear()
    yield web_server
    web_server.pages.clear()
