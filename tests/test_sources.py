from __future__ import annotations

from pathlib import Path

import pytest

from briefer import InputError
from briefer.readers.sources import load, parse_date

SAMPLE = (
    "Title line\n\nThe minister said the talks would resume. \u201cWe are ready,\u201d she said.\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_unicode_encodings(tmp_path: Path, encoding: str) -> None:
    article = load(write(tmp_path, "a.txt", SAMPLE.encode(encoding)))
    assert article.title == "Title line" and "\u201cWe are ready,\u201d" in article.text


def test_cp1252_text(tmp_path: Path) -> None:
    article = load(write(tmp_path, "a.txt", SAMPLE.encode("cp1252")))
    assert "\u201cWe are ready,\u201d" in article.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"%PDF-1.7\n...", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (bytes(range(256)) * 40, "binary"),
    ],
)
def test_bad_files(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        load(write(tmp_path, "bad.txt", data))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="directory"):
        load(str(tmp_path))


def test_html_article_and_metadata(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Baku weighs NATO bid | Caspian Review</title>"
        '<meta property="og:site_name" content="Caspian Review">'
        '<meta property="article:published_time" content="2008-04-14T09:00:00Z"></head>'
        "<body><nav>Home | World</nav><script>alert('x')</script>"
        "<article><h1>Baku weighs NATO bid</h1>"
        + "".join(
            f"<p>Paragraph {i}: the deputy minister said membership was not a question "
            f"of today or tomorrow, and officials said no timetable exists.</p>"
            for i in range(6)
        )
        + "</article><footer>Copyright</footer></body></html>"
    )
    article = load(write(tmp_path, "story.html", html.encode()))
    assert "deputy minister" in article.text and "alert" not in article.text
    assert article.outlet == "Caspian Review" and article.published == "2008-04-14"
    assert article.title and "Baku weighs NATO bid" in article.title


def test_html_without_an_article(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no article text"):
        load(write(tmp_path, "x.html", b"<html><body><script>var a=1;</script></body></html>"))


def test_metadata_lines_of_a_text_file(tmp_path: Path) -> None:
    text = b"# Headline here\nOutlet: The Ledger\nPublished: 14 April 2008\n\nBody text here."
    article = load(write(tmp_path, "a.md", text))
    assert (article.title, article.outlet, article.published) == (
        "Headline here",
        "The Ledger",
        "2008-04-14",
    )
    assert article.text == "Body text here."


@pytest.mark.parametrize(
    "title",
    [
        "Trump Signs Order On Refugees In The U.S.",
        "Brexit: what happens next:",
        'Minister says "no deal"',
        "Minister says “no deal”",
    ],
)
def test_the_header_is_read_whatever_the_title_ends_with(tmp_path: Path, title: str) -> None:
    text = f"{title}\nOutlet: The Ledger\nPublished: 2017-02-07\n\nBody text here.".encode()
    article = load(write(tmp_path, "a.txt", text))
    assert (article.title, article.outlet, article.published) == (
        title,
        "The Ledger",
        "2017-02-07",
    )
    assert article.text == "Body text here."


def test_a_sentence_alone_on_the_first_line_stays_body_text(tmp_path: Path) -> None:
    text = b"The council voted on Tuesday.\n\nIt was close."
    article = load(write(tmp_path, "a.txt", text))
    assert article.title is None and article.text.startswith("The council voted")


def test_yaml_front_matter(tmp_path: Path) -> None:
    text = (
        b"---\ntitle: 'Talks adjourn: no deal'\nsource: Nordic Wire\ndate: 2026-11-19\n"
        b"tags: [grain, talks]\n---\n\nNegotiators adjourned talks on Wednesday.\n"
    )
    article = load(write(tmp_path, "a.md", text))
    assert (article.title, article.outlet, article.published) == (
        "Talks adjourn: no deal",
        "Nordic Wire",
        "2026-11-19",
    )
    assert article.text == "Negotiators adjourned talks on Wednesday."
    # Front matter and a Markdown heading: the heading is not body text.
    text = b"---\noutlet: The Ledger\npublished: 14 April 2008\n---\n# Headline\n\nBody."
    article = load(write(tmp_path, "b.md", text))
    assert (article.title, article.outlet, article.published, article.text) == (
        "Headline",
        "The Ledger",
        "2008-04-14",
        "Body.",
    )
    # A rule that opens no front matter is text.
    article = load(write(tmp_path, "c.md", b"---\nJust a rule above the text.\n"))
    assert article.text.startswith("---")


def test_parse_date() -> None:
    assert parse_date("April 14, 2008") == "2008-04-14"
    assert parse_date("2008-02-30") is None
    assert parse_date("no date") is None


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    path = Path(write(tmp_path, "locked.txt", b"text"))
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything
        pytest.skip("running as root")
    with pytest.raises(InputError, match="permission denied"):
        load(str(path))


def test_a_new_input_kind_is_one_registered_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a PDF reader module would do: register a Reader; folders, suffixes and content
    sniffing pick it up with no other change."""
    from briefer.readers import inputs, sources

    monkeypatch.setattr(sources, "READERS", list(sources.READERS))

    def read_shouting(data: bytes, name: str) -> sources.Article:
        return sources.Article(text=data.decode().removeprefix("%SHOUT").lower(), path=name)

    sources.register(
        sources.Reader(
            "shout", read_shouting, frozenset({".shout"}), ("text/x-shout",), (b"%shout",)
        )
    )
    (tmp_path / "a.shout").write_bytes(b"%SHOUTTHE MINISTER SPOKE.")
    (tmp_path / "b.txt").write_text("Title\n\nA plain article.")
    [a, b] = [inputs.read(entry)[0] for entry in inputs.expand(str(tmp_path))]
    assert a.text == "the minister spoke." and b.text == "A plain article."
    assert sources.from_bytes(b"%SHOUTHELLO THERE", "-").text == "hello there"
    assert sources.reader_for("x", b"", "text/x-shout; charset=utf-8").name == "shout"


def test_an_html_page_past_its_cap_is_refused_before_extraction(tmp_path: Path) -> None:
    from briefer.readers.sources import MAX_HTML_BYTES

    page = b"<html><body>" + b"<p>a</p>" * (MAX_HTML_BYTES // 8 + 1) + b"</body></html>"
    with pytest.raises(InputError, match="HTML page over 4 MB is not read"):
        load(write(tmp_path, "huge.html", page))


def test_a_run_of_punctuation_keeps_every_offset_of_the_article() -> None:
    from briefer.engines.extractive import nlp

    text = 'He said "yes". ' + '"' * 45 + " Then he left."
    broken = nlp.breakable(text)
    assert len(broken) == len(text) and broken != text
    assert max(len(run) for run in broken.split()) < nlp.RUN
    assert nlp.breakable("An ordinary sentence -- with a dash... and 'quotes'.") == (
        "An ordinary sentence -- with a dash... and 'quotes'."
    )


def test_a_text_full_of_quotation_marks_is_briefed_offline_and_grounded() -> None:
    import briefer

    text = (
        "Minister says talks will resume\n\n"
        'The minister said on Monday that "the talks will resume next week". '
        + '"' * 5000
        + " Officials did not say where the talks would be held."
    )
    briefing = briefer.summarize(text=text, engine="extractive")
    article = briefer.readers.sources.Article.from_text(text).text
    for position in briefing.positions:
        for evidence in position.evidence:
            assert article[evidence.start : evidence.end] == evidence.quote
