"""The digest page as a reader sees it: rendered by headless Chromium (Debian's `chromium`,
installed by .ci/run) through Playwright. Skipped where no Chromium is installed, except in CI,
which sets CI_REQUIRE_CHROMIUM=1 so that a missing browser fails instead."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import briefer
from briefer.render import render_digest

from .conftest import DIGEST_DAY, FEEDS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM and not os.environ.get("CI_REQUIRE_CHROMIUM"):
    pytest.skip("no chromium installed (apt install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

# Flags for a sandboxed, offline machine: no background traffic, no GPU, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = """Council row over tender <script>window.__pwned = 1</script>
Outlet: Harbour Gazette
Published: 2026-11-26

The harbour council said on Thursday it would reopen the tender. "We will not sign \
<img src=x onerror="window.__pwned = 2"> blindly," said Mayor Eva Lind, the mayor of \
Karsvik. It is unclear whether the bidders will take part again.
"""


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("day")
    for path in DIGEST_DAY.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    (folder / "hostile.txt").write_text(HOSTILE)
    (folder / "broken.txt").write_bytes(b"%PDF-1.4 not text")
    # The day before, in the page's own history: one story continues, the others are new.
    yesterday = tmp_path_factory.mktemp("yesterday")
    text = (DIGEST_DAY / "harbour-terminal-approved.txt").read_text()
    (yesterday / "terminal.txt").write_text(text.replace("2026-11-26", "2026-11-25"))
    history = tmp_path_factory.mktemp("history") / "history.sqlite3"
    briefer.digest([str(yesterday)], date="2026-11-25", engine="extractive", history_path=history)
    digest = briefer.digest(
        [str(folder), str(FEEDS / "evening-wire.xml")],
        date="2026-11-26",
        engine="extractive",
        history_path=history,
    )
    target = folder / "digest.html"
    target.write_text(render_digest(digest, "html"), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open(browser: Any, page_file: Path, **context: Any) -> Any:
    page = browser.new_page(**context)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri())
    page.requests = requests
    return page


def test_a_reader_sees_the_title_sections_and_failures(browser: Any, page_file: Path) -> None:
    page = _open(browser, page_file)
    assert page.locator("h1").inner_text() == "Digest — 2026-11-26"
    headings = page.locator("h2").all_inner_texts()
    assert headings == [
        "What changed",  # first: what a reader of yesterday's digest needs
        "Top lines",
        "Open issues",
        "Stories",
        "Actors",
        "Articles",
        "Not briefed",
    ]
    assert page.locator("#top-lines li").count() >= 5
    assert page.locator("#top-lines").is_visible()
    assert "broken.txt" in page.locator("#not-briefed").inner_text()
    assert "also carried by Nordic Wire" in page.locator("#articles").inner_text()
    # One file, nothing fetched: no stylesheet, font, image or script from anywhere.
    assert page.requests == [page_file.as_uri()]


def test_article_text_is_shown_as_text_and_never_runs(browser: Any, page_file: Path) -> None:
    page = _open(browser, page_file)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("script").count() == 0 and page.locator("main img").count() == 0
    assert "<script>window.__pwned = 1</script>" in page.locator("#articles").inner_text()


def test_every_quote_and_citation_links_to_an_article_on_the_page(
    browser: Any, page_file: Path
) -> None:
    page = _open(browser, page_file)
    targets = page.eval_on_selector_all(
        "#actors blockquote a, .ref", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(targets) > 20
    for href in set(targets):
        assert href.startswith("#a-")
        assert page.locator(f"article[id='{href[1:]}']").count() == 1, href
    quotes = page.locator("#actors blockquote")
    assert quotes.count() == page.locator("#actors blockquote a").count()

    link = page.locator("#top-lines .ref").last
    href = link.get_attribute("href")
    page.set_viewport_size({"width": 390, "height": 700})
    link.click()
    assert page.evaluate("location.hash") == href
    assert page.locator(href).evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= -1 && r.top < 700; }"
    )


def test_it_fits_a_phone_without_sideways_scrolling(browser: Any, page_file: Path) -> None:
    page = _open(browser, page_file, viewport={"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    font = page.locator("#stories p").first.evaluate("el => getComputedStyle(el).fontSize")
    assert float(font.removesuffix("px")) >= 16


def test_it_follows_the_readers_light_or_dark_preference(browser: Any, page_file: Path) -> None:
    def colours(scheme: str) -> tuple[str, str]:
        page = _open(browser, page_file, color_scheme=scheme)
        return page.evaluate(
            "[getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )

    light, dark = colours("light"), colours("dark")
    assert light != dark
    assert light[0] == "rgb(253, 253, 252)" and dark[0] == "rgb(21, 23, 26)"


def test_it_prints_without_the_navigation(browser: Any, page_file: Path) -> None:
    page = _open(browser, page_file)
    page.emulate_media(media="print")
    assert not page.locator("nav").is_visible()
    assert page.locator("#articles").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_what_changed_is_shown_and_the_reference_parts_fold(browser: Any, page_file: Path) -> None:
    page = _open(browser, page_file)
    changes = page.locator("#changes").inner_text()
    assert "Compared with the digest of 2026-11-25" in changes
    badges = page.locator("#stories .badge").all_inner_texts()
    assert "Continuing since 2026-11-25" in badges and "New" in badges
    # The actor index and each article's briefing are folded; their headings stay in view.
    assert not page.locator("#actors .actor").first.is_visible()
    page.locator("#actors details > summary").click()
    assert page.locator("#actors .actor").first.is_visible()
    first = page.locator("#articles article").first
    assert first.locator("h3").is_visible() and not first.locator("h4").first.is_visible()
    first.locator("summary").click()
    assert first.locator("p").nth(1).is_visible()


def test_on_a_phone_the_open_issues_are_near_the_top(browser: Any, page_file: Path) -> None:
    page = _open(browser, page_file, viewport={"width": 360, "height": 740})
    top = page.locator("#open-issues").evaluate("el => el.getBoundingClientRect().top")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert top < 8000 and height > top
