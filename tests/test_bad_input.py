"""Bad input, end to end through the CLI: each bad input gets one line on stderr, the good
inputs beside it are still briefed, the exit code is 1, and no traceback is shown."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefer.cli import cli
from briefer.readers import fetching

from .conftest import DIGEST_DAY, EXAMPLES
from .web_pages import Page, WebPages

GOOD = EXAMPLES / "azerbaijan-nato.txt"


def _make(tmp_path: Path, case: str) -> tuple[str, str]:
    """Create the bad input of `case`; return its argument and the reason expected."""
    path = tmp_path / f"{case}.txt"
    if case == "empty":
        path.write_bytes(b"")
        return str(path), "is empty"
    if case == "whitespace":
        path.write_text(" \n\t\n   \n")
        return str(path), "is empty"
    if case == "pdf":
        path = tmp_path / "report.pdf"
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n")
        return str(path), "binary file"
    if case == "png":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
        return str(path), "binary file"
    if case == "random":
        path.write_bytes(os.urandom(20_000))
        return str(path), "binary file"
    if case == "huge":
        # 100 MB of real text: refused from its size, before a byte of it is read.
        line = b"The council met again on Monday and adjourned without a vote.\n"
        with path.open("wb") as handle:
            for _ in range(100 * 1024 * 1024 // (len(line) * 1024) + 1):
                handle.write(line * 1024)
        return str(path), "too large (100 MB; the limit is 20 MB)"
    if case == "html-no-article":
        path = tmp_path / "page.html"
        path.write_text(
            "<html><head><script>var tracking = 1;</script></head><body>"
            "<script>document.write('ad')</script><nav><a href='/'>Home</a></nav></body></html>"
        )
        return str(path), "holds no article text"
    if case == "missing":
        return str(tmp_path / "nowhere.txt"), "no such file"
    if case == "directory":
        # summarize reads the articles a folder holds; a folder with none is the bad input.
        return str(tmp_path), "holds no .txt, .md, .html, feed or .urls files"
    raise AssertionError(case)


CASES = [
    "empty",
    "whitespace",
    "pdf",
    "png",
    "random",
    "huge",
    "html-no-article",
    "missing",
    "directory",
]


@pytest.mark.parametrize("case", CASES)
def test_summarize_reports_a_bad_input_in_one_line_and_briefs_the_rest(
    tmp_path: Path, case: str
) -> None:
    argument, reason = _make(tmp_path, case)
    result = CliRunner().invoke(cli, ["summarize", str(GOOD), argument, "-q", "-f", "jsonl"])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line == f"Error: {argument}: {reason}" or (
        line.startswith(f"Error: {argument}: ") and reason in line
    )
    assert "Traceback" not in result.output
    [briefing] = [json.loads(x) for x in result.stdout.splitlines()]
    assert briefing["source"]["path"] == str(GOOD)


@pytest.mark.parametrize("case", CASES[:-2])
def test_digest_lists_a_bad_input_and_writes_the_rest(tmp_path: Path, case: str) -> None:
    argument, reason = _make(tmp_path, case)
    result = CliRunner().invoke(cli, ["digest", str(GOOD), argument, "-q", "-f", "json"])
    assert result.exit_code == 1
    digest = json.loads(result.stdout)
    assert [f["source"] for f in digest["failures"]] == [argument]
    assert reason in digest["failures"][0]["reason"]
    assert len(digest["articles"]) == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {argument}: {digest['failures'][0]['reason']}"
    ]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("cp1252", b""), ("latin-1", b""), ("utf-16", b""), ("utf-8", b"\xef\xbb\xbf")],
)
def test_text_in_other_encodings_is_decoded_not_refused(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    text = "Déclaration du ministre\n\nLe ministre a déclaré lundi: « Nous négocierons. »\n"
    if encoding == "cp1252":
        text = text.replace("«", "“").replace("»", "”")
    path = tmp_path / "foreign.txt"
    path.write_bytes(prefix + text.encode(encoding))
    result = CliRunner().invoke(cli, ["summarize", str(path), "-q", "-f", "json"])
    assert result.exit_code == 0, result.output
    briefing = json.loads(result.stdout)
    assert briefing["headline"] == "Déclaration du ministre"
    assert "négocierons" in result.stdout


def test_a_feed_file_that_is_not_xml_is_listed_by_digest(tmp_path: Path) -> None:
    feed = tmp_path / "world.xml"
    feed.write_text("<<this is not a feed>>")
    result = CliRunner().invoke(cli, ["digest", str(GOOD), str(feed), "-q", "-f", "json"])
    assert result.exit_code == 1
    failure = json.loads(result.stdout)["failures"][0]
    assert failure["source"] == str(feed) and "not an RSS or Atom feed" in failure["reason"]


def test_a_folder_of_ten_thousand_files_is_read_and_deduplicated(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    originals = sorted(p for p in DIGEST_DAY.iterdir() if p.suffix == ".txt")
    for n in range(10_000):
        shutil.copy(originals[n % len(originals)], folder / f"copy-{n:05}.txt")
    result = CliRunner().invoke(cli, ["digest", str(folder), "-q", "-f", "json"])
    assert result.exit_code == 0, result.output
    digest = json.loads(result.stdout)
    # The wire re-run is a near-duplicate of the Northern Ledger story: one fewer story.
    assert len(digest["articles"]) == len(originals) - 1
    assert digest["usage"]["articles_read"] == 10_000
    assert sum(len(a["sources"]) for a in digest["articles"]) == 10_000


def test_a_url_that_times_out_is_one_line(web: WebPages, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetching, "READ_TIMEOUT_SECONDS", 0.3)
    web.pages["/slow"] = Page(b"late", delay=2.0)
    url = web.url("/slow")
    result = CliRunner().invoke(cli, ["summarize", str(GOOD), url, "-q", "-f", "jsonl"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {url}: timed out after 0 s"


def test_unreadable_permissions_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("Secret\n\nText.")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads anything: make the read fail as it would
        real = os.open

        def refuse(path: object, *args: object, **kwargs: object) -> int:
            if Path(str(path)) == locked:
                raise PermissionError(13, "Permission denied")
            return real(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", refuse)
    result = CliRunner().invoke(cli, ["summarize", str(GOOD), str(locked), "-q", "-f", "jsonl"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {locked}: permission denied"


def test_an_unexpected_failure_of_one_article_is_a_briefer_error(
    monkeypatch: pytest.MonkeyPatch, seed_article: Path
) -> None:
    import briefer
    from briefer.briefing import pipeline

    async def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")  # stands in for any bug on the way to a briefing

    monkeypatch.setattr(pipeline, "brief", broken)
    # A script catches BrieferError for any failure of the article, one input as with many.
    with pytest.raises(briefer.BrieferError, match="ZeroDivisionError: a bug"):
        briefer.summarize(seed_article, engine="extractive")
