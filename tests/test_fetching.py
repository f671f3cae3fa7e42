"""Fetching from the open internet without reaching where briefer must not: a hostile local
web server on 127.0.0.1 plays both the public site and the intranet."""

from __future__ import annotations

import ipaddress
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import briefer
from briefer.cli import cli
from briefer.errors import InputError
from briefer.readers import fetching, inputs
from briefer.readers.fetching import Fetcher
from briefer.readers.inputs import Access, Entry
from briefer.readers.sources import Article

from .web_pages import Page, WebPages

ARTICLE_PAGE = (
    b"<html><head><title>A page</title></head><body><article><p>"
    + b"The full story, long enough to be an article on its own. " * 20
    + b"</p></article></body></html>"
)
SECRET = b"<html><body><article><p>" + b"INTERNAL-ONLY secret text. " * 30 + b"</p></article>"


def fetcher_resolving(names: dict[str, list[str]]) -> tuple[Fetcher, list[str]]:
    """A fetcher whose resolver answers from `names`, and the lookups it makes."""
    lookups: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return names.get(host, [])

    return Fetcher(resolve=resolver), lookups


@pytest.fixture
def public_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make 127.0.0.1 count as public, and nothing else on the loopback."""
    real = fetching.refusal

    def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        return None if str(address) == "127.0.0.1" else real(address)

    monkeypatch.setattr(fetching, "refusal", refusal)


def feed_with_teaser(link: str, title: str = "Short item") -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
        f"<title>{title}</title><link>{link}</link>"
        "<pubDate>Thu, 26 Nov 2026 10:00:00 GMT</pubDate>"
        "<description>Only a teaser of the story.</description></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.251",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
    ],
)
def test_non_public_destinations_are_refused(address: str) -> None:
    assert fetching.refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::6810:85e5"])
def test_public_destinations_are_allowed(address: str) -> None:
    assert fetching.refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("metadata.google.internal", True),
        ("localhost", True),
        ("db.localhost", True),
        ("printer.local", True),
        ("wiki", True),
        ("router.home.arpa", True),
        ("news.example.org", False),
    ],
)
def test_private_network_names_are_recognised(host: str, private: bool) -> None:
    assert fetching.private_name(host) is private


def test_a_loopback_url_is_refused_by_default_and_never_contacted(web_server: WebPages) -> None:
    web_server.hits.clear()
    web_server.pages["/secret"] = Page(SECRET)
    with pytest.raises(InputError, match="refused: 127.0.0.1 is a loopback address"):
        Fetcher().fetch(web_server.url("/secret"))
    assert web_server.hits == []
    with pytest.raises(InputError, match="private network name"):
        Fetcher().fetch("http://metadata.google.internal/computeMetadata/v1/")


def test_a_feed_link_into_the_intranet_is_not_fetched_and_the_feed_text_is_used(
    web_server: WebPages, tmp_path: Path
) -> None:
    web_server.hits.clear()
    web_server.pages["/secret"] = Page(SECRET)
    feed = tmp_path / "wire.xml"
    feed.write_bytes(feed_with_teaser(web_server.url("/secret")))
    result = CliRunner().invoke(cli, ["digest", str(feed), "-q", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert web_server.hits == []
    assert "INTERNAL-ONLY" not in result.stdout
    digest = json.loads(result.stdout)
    assert "Only a teaser" in digest["articles"][0]["briefing"]["summary"]
    assert any("feed's own text" in warning for warning in digest["warnings"])


def test_allow_private_urls_opts_in_for_an_intranet_feed(
    web_server: WebPages, tmp_path: Path
) -> None:
    web_server.hits.clear()
    web_server.pages["/story"] = Page(ARTICLE_PAGE)
    feed = tmp_path / "wire.xml"
    feed.write_bytes(feed_with_teaser(web_server.url("/story")))
    result = CliRunner().invoke(
        cli, ["digest", str(feed), "--allow-private-urls", "-q", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert web_server.hits == ["/story"]
    assert "The full story" in json.loads(result.stdout)["articles"][0]["briefing"]["summary"]


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://10.0.0.7/admin",
        "http://[::1]:8080/",
        "http://metadata.internal/",
        "http://cdn.example.org/next",  # a name that resolves to the intranet
    ],
)
def test_every_redirect_hop_is_checked(
    web_server: WebPages, public_loopback: None, target: str
) -> None:
    web_server.pages["/jump"] = Page(b"", status=302, headers={"location": target})
    fetcher, _ = fetcher_resolving({"cdn.example.org": ["10.9.8.7"]})
    with pytest.raises(InputError, match="refused"):
        fetcher.fetch(web_server.url("/jump"))


def test_a_name_with_any_private_address_is_refused(public_loopback: None) -> None:
    fetcher, _ = fetcher_resolving({"mixed.example.org": ["127.0.0.1", "192.168.0.10"]})
    with pytest.raises(InputError, match="192.168.0.10|private"):
        fetcher.fetch("http://mixed.example.org/")


def test_the_connection_goes_to_the_address_that_was_checked(
    web_server: WebPages, public_loopback: None
) -> None:
    """One lookup per hop, and the request goes to its answer naming the host: a second
    lookup (DNS rebinding) never gets a say."""
    web_server.hosts.clear()
    web_server.pages["/story"] = Page(ARTICLE_PAGE)
    port = web_server.server.server_address[1]
    fetcher, lookups = fetcher_resolving({"news.example.org": ["127.0.0.1"]})
    body, content_type = fetcher.fetch(f"http://news.example.org:{port}/story")
    assert body == ARTICLE_PAGE and content_type.startswith("text/html")
    assert lookups == ["news.example.org"]
    assert web_server.hosts[-1] == f"news.example.org:{port}"


def test_redirect_chains_are_capped(web_server: WebPages, public_loopback: None) -> None:
    for number in range(10):
        web_server.pages[f"/r{number}"] = Page(
            b"", status=302, headers={"location": f"/r{number + 1}"}
        )
    with pytest.raises(InputError, match="redirected more than 5 times"):
        Fetcher().fetch(web_server.url("/r0"))


def test_a_server_trickling_bytes_meets_the_total_deadline_and_the_teaser_is_used(
    web_server: WebPages, public_loopback: None
) -> None:
    web_server.pages["/drip"] = Page(ARTICLE_PAGE, trickle=0.2)
    access = Access(Fetcher(deadline=1.0))
    teaser = Article(text="Only a teaser.", path="feed#1", title="T")
    started = time.monotonic()
    article, from_teaser = inputs.read(Entry(web_server.url("/drip"), fallback=teaser), access)
    assert from_teaser and article.text == "Only a teaser."
    assert time.monotonic() - started < 3.0


def test_a_run_has_a_fetch_budget(web_server: WebPages, public_loopback: None) -> None:
    web_server.pages["/story"] = Page(ARTICLE_PAGE)
    fetcher = Fetcher(max_fetches=2)
    fetcher.fetch(web_server.url("/story"))
    fetcher.fetch(web_server.url("/story"))
    with pytest.raises(InputError, match="already made 2 fetches"):
        fetcher.fetch(web_server.url("/story"))


def test_a_feed_is_read_up_to_its_entry_and_fetch_caps(
    web_server: WebPages, public_loopback: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_FEED_ENTRIES", 30)
    monkeypatch.setattr(inputs, "MAX_FETCHES_PER_FEED", 10)
    items = "".join(
        f"<item><title>Item {n}</title><link>{web_server.url(f'/s{n}')}</link>"
        f"<description>Teaser {n}.</description></item>"
        for n in range(100)
    )
    web_server.pages["/feed.xml"] = Page(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}'
        "</channel></rss>".encode(),
        "application/rss+xml",
    )
    expansion = inputs.expand_noting(web_server.url("/feed.xml"), Access(Fetcher()))
    entries = expansion.entries
    assert len(entries) == 30
    assert sum(1 for e in entries if e.article is None) == 10  # links to fetch
    assert all(e.article is not None for e in entries[10:])  # briefed from the feed's text
    # Both cuts are said: the entries not read, the teasers whose page was not fetched.
    feed = web_server.url("/feed.xml")
    assert expansion.notes == [
        f"{feed}: 70 more feed entries were not read: a feed is read up to 30 entries",
        f"{feed}: 20 teaser(s) briefed from the feed's own text: a feed's linked pages are"
        " fetched for at most 10 teasers",
    ]


def test_dry_run_counts_the_pages_it_would_fetch_without_fetching(
    web: WebPages, tmp_path: Path
) -> None:
    web.pages["/story"] = Page(ARTICLE_PAGE)
    feed = tmp_path / "wire.xml"
    feed.write_bytes(feed_with_teaser(web.url("/story")))
    result = CliRunner().invoke(cli, ["digest", str(feed), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 linked page(s) to fetch" in result.stdout
    assert web.hits == []


@pytest.mark.parametrize(
    "link",
    [
        "http://[::1/x",
        "http://exa\x1bmple.org/story",
        "http://xn--zz-.example/",
        "http://a..b/",
        "http://" + "a" * 70 + ".example/",
    ],
)
def test_an_invalid_link_fails_its_entry_not_the_run(tmp_path: Path, link: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A title\n\n" + "The minister said the talks would resume soon. " * 5)
    listing = tmp_path / "today.urls"
    listing.write_text(link + "\n")
    feed = tmp_path / "wire.xml"
    feed.write_bytes(feed_with_teaser(link.replace("&", "&amp;")))
    result = CliRunner().invoke(
        cli, ["digest", str(good), str(listing), str(feed), "-q", "-f", "json"]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    digest = json.loads(result.stdout)
    assert len(digest["articles"]) == 2  # the good file, and the feed entry from its own text
    [failure] = digest["failures"]
    assert failure["reason"].startswith(("is not a valid URL", "cannot be fetched", "refused"))


def test_symlinks_leaving_an_input_folder_are_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "home" / "config.toml"
    secret.parent.mkdir()
    secret.write_text("api_key = 'sk-live-0123456789abcdef'\n" * 20)
    news = tmp_path / "news"
    news.mkdir()
    (news / "story.txt").write_text("Title\n\n" + "The minister said the talks resume. " * 5)
    (news / "leak.txt").symlink_to(secret)
    (news / "alias.txt").symlink_to(news / "story.txt")  # stays inside: read as usual
    found = [Path(e.location).name for e in inputs.expand(str(news))]
    assert found == ["alias.txt", "story.txt"]
    followed = inputs.expand(str(news), Access(follow_symlinks=True))
    assert [Path(e.location).name for e in followed] == ["alias.txt", "leak.txt", "story.txt"]
    result = CliRunner().invoke(cli, ["digest", str(news), "-q", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "sk-live" not in result.stdout


def test_resolving_a_feed_and_fetching_its_pages_share_one_budget(
    web_server: WebPages, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefer import api

    web_server.hits.clear()
    web_server.pages["/a"] = Page(ARTICLE_PAGE)
    web_server.pages["/b"] = Page(ARTICLE_PAGE)
    items = "".join(
        f"<item><title>Item {n}</title><link>{web_server.url(f'/{n}')}</link>"
        f"<description>Teaser {n}.</description></item>"
        for n in "ab"
    )
    web_server.pages["/feed.xml"] = Page(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}'
        "</channel></rss>".encode(),
        "application/rss+xml",
    )
    # A budget of two fetches: the feed and one page; the run goes on counting after the
    # feed was resolved, so the second page is not fetched.
    monkeypatch.setattr(
        api,
        "access_for",
        lambda settings: Access(Fetcher(allow_private=True, max_fetches=2)),
    )
    outcomes = briefer.summarize_many([web_server.url("/feed.xml")], engine="extractive")
    assert len(outcomes) == 2
    assert web_server.hits == ["/feed.xml", "/a"]


# Issue 22: a fetch is bounded in what it costs, not only in what it returns.


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, compresslevel=9)


def test_stacked_or_unknown_encodings_are_refused_before_decoding(
    web_server: WebPages, public_loopback: None
) -> None:
    bomb = _gzip(_gzip(b"a" * 50_000_000))  # a few hundred bytes standing for 50 MB
    web_server.pages["/bomb"] = Page(bomb, headers={"content-encoding": "gzip, gzip"})
    with pytest.raises(InputError, match="stacked content encodings"):
        Fetcher().fetch(web_server.url("/bomb"))
    web_server.pages["/zstd"] = Page(
        b"\x28\xb5\x2f\xfd" + b"x" * 64, headers={"content-encoding": "zstd"}
    )
    with pytest.raises(InputError, match="unsupported content encoding 'zstd'"):
        Fetcher().fetch(web_server.url("/zstd"))


def test_a_gzip_body_is_capped_while_it_is_decoded(
    web_server: WebPages, public_loopback: None
) -> None:
    import tracemalloc

    web_server.pages["/big"] = Page(
        _gzip(b"\0" * 200_000_000), headers={"content-encoding": "gzip"}
    )
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="larger than 20 MB"):
            Fetcher().fetch(web_server.url("/big"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * fetching.MAX_RESPONSE_BYTES
    # An honest gzip page still reads.
    web_server.pages["/story.gz"] = Page(_gzip(ARTICLE_PAGE), headers={"content-encoding": "gzip"})
    body, _ = Fetcher().fetch(web_server.url("/story.gz"))
    assert body == ARTICLE_PAGE


def test_a_server_trickling_its_headers_meets_the_total_deadline(
    web_server: WebPages, public_loopback: None
) -> None:
    head = b"HTTP/1.1 200 OK\r\n" + b"x-padding: " + b"a" * 200 + b"\r\n\r\n"
    web_server.pages["/slow-head"] = Page(b"", trickle=0.25, raw=head)
    started = time.monotonic()
    with pytest.raises(InputError, match="took longer than 1 s"):
        Fetcher(deadline=1.0).fetch(web_server.url("/slow-head"))
    # The server would go on for a minute; the fetch ends at its deadline.
    assert time.monotonic() - started < 5.0
