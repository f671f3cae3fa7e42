from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefer.errors import ConfigError, InputError
from briefer.readers import fetching, inputs, sources
from briefer.readers.inputs import Access, Entry, Window

from .conftest import DIGEST_DAY, FEEDS
from .web_pages import Page, WebPages

# The test web server is on the loopback, which briefer refuses by default.
LOOPBACK = Access(fetching.Fetcher(allow_private=True))

FEED = (FEEDS / "evening-wire.xml").read_bytes()


def test_a_folder_is_read_recursively_in_name_order_skipping_hidden_and_other_files(
    tmp_path: Path,
) -> None:
    (tmp_path / "b.txt").write_text("Second story.\n\nBody text here.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text("<html><body><p>Hi</p></body></html>")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text("not an article")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    found = inputs.expand(str(tmp_path))
    assert [Path(e.location).relative_to(tmp_path).as_posix() for e in found] == [
        "b.txt",
        "sub/a.html",
    ]


def test_a_folder_with_nothing_readable_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(InputError, match="holds no .txt"):
        inputs.expand(str(tmp_path))


def test_a_glob_expands_and_an_unmatched_glob_is_an_input_error(tmp_path: Path) -> None:
    for name in ("one.txt", "two.txt", "three.md"):
        (tmp_path / name).write_text("Text.")
    found = inputs.expand(str(tmp_path / "*.txt"))
    assert sorted(Path(e.location).name for e in found) == ["one.txt", "two.txt"]
    with pytest.raises(InputError, match="no file matches"):
        inputs.expand(str(tmp_path / "*.pdf"))


def test_a_feed_file_gives_one_entry_per_item_with_its_time_outlet_and_text() -> None:
    entries = inputs.expand(str(FEEDS / "evening-wire.xml"))
    assert len(entries) == 3
    first = entries[0]
    assert first.article is not None
    assert first.article.title == "Border commission agrees to resume demarcation talks"
    assert first.article.outlet == "Evening Wire"
    assert first.article.published == "2026-11-26"
    assert first.published_at == datetime(2026, 11, 26, 17, 40, tzinfo=UTC)
    assert "Petra Novak" in first.article.text
    assert "<p>" not in first.article.text
    assert "\n\n" in first.article.text  # paragraphs kept apart


def test_a_feed_teaser_is_fetched_from_its_link_with_the_feeds_metadata(web: WebPages) -> None:
    web.pages["/story"] = Page(
        b"<html><head><title>Page title</title></head><body><article><p>"
        + b"The full story, long enough to be an article. " * 20
        + b"</p></article></body></html>"
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title><item>'
        f"<title>Short item</title><link>{web.url('/story')}</link>"
        "<pubDate>Thu, 26 Nov 2026 10:00:00 GMT</pubDate>"
        "<description>Only a teaser.</description></item></channel></rss>"
    ).encode()
    web.pages["/feed.xml"] = Page(feed, "application/rss+xml")
    [entry] = inputs.expand(web.url("/feed.xml"), LOOPBACK)
    article, from_teaser = inputs.read(entry, LOOPBACK)
    assert not from_teaser
    assert "The full story" in article.text
    assert article.title == "Short item"
    assert article.outlet == "Teasers"
    assert article.published == "2026-11-26"


def test_a_teaser_whose_link_fails_falls_back_to_the_feeds_text(web: WebPages) -> None:
    entry = Entry(
        web.url("/gone"),
        fallback=sources.Article(text="Only a teaser.", path="x", title="T"),
    )
    article, from_teaser = inputs.read(entry, LOOPBACK)
    assert from_teaser and article.text == "Only a teaser."


def test_a_url_list_expands_to_its_urls_and_rejects_a_line_that_is_not_one(
    tmp_path: Path,
) -> None:
    listing = tmp_path / "today.urls"
    listing.write_text("# morning\nhttps://example.org/a\n\nhttp://example.org/b\n")
    assert [e.location for e in inputs.expand(str(listing))] == [
        "https://example.org/a",
        "http://example.org/b",
    ]
    listing.write_text("https://example.org/a\nnot a url\n")
    with pytest.raises(InputError, match="line 2 is not an http"):
        inputs.expand(str(listing))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this is not xml at all", "not an RSS or Atom feed"),
        (b"<html><body>a page</body></html>", "not an RSS or Atom feed"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "no entries"),
    ],
)
def test_a_feed_file_that_is_not_a_feed_is_an_input_error(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        inputs.expand(str(path))


def test_an_article_url_is_read_and_an_http_error_is_an_input_error(web: WebPages) -> None:
    web.pages["/a"] = Page(
        b"<html><body><article><p>" + b"Words of the article. " * 30 + b"</p></article></body>"
    )
    [entry] = inputs.expand(web.url("/a"), LOOPBACK)
    assert entry.article is not None and "Words of the article." in entry.article.text
    with pytest.raises(InputError, match="HTTP 404"):
        inputs.expand(web.url("/missing"), LOOPBACK)


def test_a_url_that_hangs_times_out_with_an_input_error(
    web: WebPages, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetching, "READ_TIMEOUT_SECONDS", 0.3)
    web.pages["/slow"] = Page(b"late", delay=2.0)
    with pytest.raises(InputError, match="timed out"):
        inputs.expand(web.url("/slow"), LOOPBACK)


def test_the_window_admits_by_day_or_since_and_keeps_undated_articles() -> None:
    day = Window.parse("2026-11-26", None)
    assert day.admits("2026-11-26", None)
    assert not day.admits("2026-11-25", None)
    assert day.admits(None, None)
    assert not day.admits(None, datetime(2026, 11, 25, 23, 59, tzinfo=UTC))
    since = Window.parse(None, "2026-11-26T12:00")
    assert since.admits(None, datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    assert not since.admits(None, datetime(2026, 11, 26, 11, 59, tzinfo=UTC))
    assert since.admits("2026-11-26", None)  # only the day is known: it reaches the window
    assert not since.admits("2026-11-25", None)
    assert Window.parse(None, None).admits("1999-01-01", None)


@pytest.mark.parametrize(("day", "since"), [("26/11/2026", None), (None, "the day before")])
def test_a_malformed_date_is_a_config_error(day: str | None, since: str | None) -> None:
    with pytest.raises(ConfigError, match="is not a date"):
        Window.parse(day, since)


def test_the_example_day_expands_without_its_hidden_folder() -> None:
    locations = [e.location for e in inputs.expand(str(DIGEST_DAY))]
    assert len(locations) == 6
    assert not any(".archive" in location for location in locations)


def test_since_takes_spans_and_named_days() -> None:
    from datetime import UTC, datetime, timedelta

    from briefer.readers.inputs import Window

    now = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    assert Window.parse(None, "24h", now=now).since == now - timedelta(hours=24)
    assert Window.parse(None, "90m", now=now).since == now - timedelta(minutes=90)
    assert Window.parse(None, "7d", now=now).since == now - timedelta(days=7)
    yesterday = Window.parse(None, "yesterday", now=now).since
    assert yesterday is not None and yesterday.date().isoformat() == "2026-11-26"
    assert (yesterday.hour, yesterday.minute) == (0, 0)
    assert Window.parse("yesterday", None, now=now).day.isoformat() == "2026-11-26"  # type: ignore[union-attr]


def test_digest_since_24h_on_the_command_line() -> None:
    from click.testing import CliRunner

    from briefer.cli import cli

    from .conftest import DIGEST_DAY

    result = CliRunner().invoke(cli, ["digest", str(DIGEST_DAY), "--since", "24h", "-q"])
    assert result.exit_code == 0, result.stderr
    bad = CliRunner().invoke(cli, ["digest", str(DIGEST_DAY), "--since", "soon"])
    assert bad.exit_code == 2 and "24h" in bad.stderr


# Issue 20: feeds and URL lists are recognised by content wherever they are found.


def test_a_feed_inside_a_folder_is_read_as_a_feed_whatever_its_name(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "wire.xml").write_bytes(FEED)
    (tmp_path / "sub" / "saved-feed.txt").write_bytes(FEED)  # named like an article
    (tmp_path / "story.txt").write_text("Title\n\n" + "The minister said talks resume. " * 5)
    found = inputs.expand(str(tmp_path))
    items = len(inputs.expand(str(FEEDS / "evening-wire.xml")))
    assert len(found) == 1 + 2 * items
    assert not any((e.article and e.article.title or "").startswith("<?xml") for e in found)


def test_a_url_list_inside_a_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "today.urls").write_text("# morning\nhttps://example.org/a\n")
    (tmp_path / "links.txt").write_text("https://example.org/b\nhttps://example.org/c\n")
    found = inputs.expand(str(tmp_path))
    assert sorted(e.location for e in found) == [
        "https://example.org/a",
        "https://example.org/b",
        "https://example.org/c",
    ]


def test_a_feed_on_stdin_is_read_as_a_feed() -> None:
    from click.testing import CliRunner

    from briefer.cli import cli

    result = CliRunner().invoke(cli, ["summarize", "-", "-f", "jsonl", "-q"], input=FEED)
    items = len(inputs.expand(str(FEEDS / "evening-wire.xml")))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == items
    single = CliRunner().invoke(
        cli,
        ["summarize", "-", "-f", "json", "-q"],
        input=(DIGEST_DAY / "harbour-terminal-approved.txt").read_text(),
    )
    assert single.stdout.lstrip().startswith("{")  # one article on stdin: one object


def _long_feed(items: int) -> bytes:
    body = "".join(
        f"<item><title>Story {n}</title><link>https://example.org/{n}</link>"
        f"<description>{f'Words of story {n}. ' * 40}</description></item>"
        for n in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{body}'
        "</channel></rss>"
    ).encode()


def test_a_feed_past_the_entry_cap_is_cut_and_says_so(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from briefer.cli import cli

    feed = tmp_path / "big.xml"
    feed.write_bytes(_long_feed(600))
    expansion = inputs.expand_noting(str(feed))
    assert len(expansion.entries) == 500
    assert expansion.notes == [
        f"{feed}: 100 more feed entries were not read: a feed is read up to 500 entries"
    ]
    result = CliRunner().invoke(cli, ["digest", str(feed), "-q", "--no-history", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert expansion.notes[0] in result.stdout and expansion.notes[0] in result.stderr


# Issue 22: every way of naming files goes through one containment and file-type check.


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    secret = tmp_path / "home" / "keys.json"
    secret.parent.mkdir()
    secret.write_text('{"openai": "sk-live-0123456789abcdef"}\n' * 10)
    folder = tmp_path / "inbox"
    (folder / "deep").mkdir(parents=True)
    (folder / "story.txt").write_text("Title\n\n" + "The minister said talks resume. " * 5)
    (folder / "deep" / "more.txt").write_text("More\n\n" + "The council met again today. " * 5)
    (folder / "notes.md").symlink_to(secret)
    (folder / "deep" / "x.txt").symlink_to(secret)
    (folder / "elsewhere").symlink_to(secret.parent, target_is_directory=True)
    return folder


@pytest.mark.parametrize("pattern", ["{}/*", "{}/**/*.txt", "{}/**/*", "{}/*/*"])
def test_a_glob_does_not_read_links_out_of_its_folder(inbox: Path, pattern: str) -> None:
    found = inputs.expand(pattern.format(inbox))
    texts = [e.article.text if e.article else "" for e in found]
    assert found and not any("sk-live" in t for t in texts)
    assert all(files_inside(e.location, inbox) for e in found)


def files_inside(location: str, root: Path) -> bool:
    return Path(location).resolve().is_relative_to(root.resolve())


def test_a_fifo_matched_by_a_glob_is_refused_not_waited_for(tmp_path: Path) -> None:
    import os

    (tmp_path / "story.txt").write_text("Title\n\n" + "The minister said talks resume. " * 5)
    os.mkfifo(tmp_path / "pipe.txt")
    found = {Path(e.location).name: e for e in inputs.expand(f"{tmp_path}/*")}
    assert found["pipe.txt"].error == "is not a regular file: not read"
    assert found["story.txt"].article is not None


def test_a_file_swapped_for_a_link_after_the_walk_is_refused(inbox: Path) -> None:
    from briefer.readers import files

    [path] = [p for p in files.walk(inbox) if p.name == "story.txt"]
    path.unlink()
    path.symlink_to(inbox.parent / "home" / "keys.json")
    with pytest.raises(InputError, match="lies outside its folder"):
        files.read_file(path, inbox)


def test_the_bytes_read_are_capped_whatever_stat_says(tmp_path: Path) -> None:
    from briefer.readers import files

    with pytest.raises(InputError, match="too large"):
        files.read_file(Path("/dev/zero"), limit=1000)


def test_a_folder_nested_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(1200):
        deep = deep / "d"
        deep.mkdir()  # one level at a time: os.makedirs itself recurses
    (deep / "story.txt").write_text("Title\n\n" + "The minister said talks resume. " * 5)
    try:
        [entry] = inputs.expand(str(tmp_path))
        assert entry.article is not None and entry.location.endswith("story.txt")
    finally:
        # Taken down level by level: pytest's own clean-up of old runs would recurse.
        (deep / "story.txt").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_one_bad_feed_date_keeps_the_feed_and_the_other_inputs(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from briefer.cli import cli

    bad = tmp_path / "bad.xml"
    first_date = b"<pubDate>Thu, 26 Nov 2026 17:40:00 GMT</pubDate>"
    assert first_date in FEED
    bad.write_bytes(FEED.replace(first_date, b"<pubDate>0001-01-01T00:00:00+23:59</pubDate>"))
    good = tmp_path / "good.md"
    good.write_text("Title\n\n" + "The minister said talks resume. " * 5)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["summarize", str(bad), str(good), "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert (out / "good.md").exists() or (out / "good-2.md").exists()
    assert len(list(out.iterdir())) == 1 + len(inputs.expand(str(FEEDS / "evening-wire.xml")))


def test_an_rss_091_feed_with_its_doctype_is_a_feed_and_an_entity_subset_is_not(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "old.rss"
    feed.write_bytes(
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC'
        b' "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel>'
        b"<title>Old Wire</title><item><title>Talks resume</title>"
        b"<link>https://example.org/talks</link><description>"
        + b"The minister said the talks would resume next week in Geneva. " * 20
        + b"</description></item></channel></rss>"
    )
    [entry] = inputs.expand(str(feed))
    assert entry.article is not None and entry.article.title == "Talks resume"
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss></rss>')
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        inputs.expand(str(bomb))
