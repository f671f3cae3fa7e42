"""Where outputs go: never onto an input, checked before any work, in the format the file
name says, one JSON document for several inputs, and one failed write failing one output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefer.cli import cli

from .conftest import DIGEST_DAY, EXAMPLES
from .fake_openai import FakeOpenAI


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A folder of articles the user keeps, as Markdown and text."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for source in sorted(DIGEST_DAY.glob("*.md")) + sorted(DIGEST_DAY.glob("*.txt"))[:2]:
        shutil.copy(source, folder / source.name)
    return folder


def test_output_dir_onto_the_inputs_is_refused_before_any_work(
    notes: Path, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p.name: p.read_bytes() for p in notes.iterdir()}
    monkeypatch.chdir(notes)
    for fmt in ("md", "text"):
        result = run("summarize", *sorted(before), "-f", fmt, "--output-dir", ".")
        assert result.exit_code == 2, result.output
        assert "would overwrite the input" in result.stderr
        assert result.stderr.count("\n") == 1
    assert {p.name: p.read_bytes() for p in notes.iterdir()} == before
    assert fake.requests == []


def test_output_file_that_is_an_input_is_refused(notes: Path) -> None:
    article = next(notes.glob("*.md"))
    before = article.read_bytes()
    result = run("summarize", str(article), "-o", str(article))
    assert result.exit_code == 2
    assert f"would overwrite the input {article}" in result.stderr
    assert article.read_bytes() == before
    # A digest written into the folder it reads, onto one of its files, too.
    result = run("digest", str(notes), "--no-history", "-o", str(article))
    assert result.exit_code == 2 and "would overwrite the input" in result.stderr
    assert article.read_bytes() == before


@pytest.mark.parametrize("command", ["summarize", "digest"])
def test_output_into_a_missing_folder_is_one_line_before_any_work(
    command: str, tmp_path: Path
) -> None:
    history = tmp_path / "h.sqlite3"
    target = tmp_path / "missing" / "x.md"
    result = run(
        command,
        str(EXAMPLES / "azerbaijan-nato.txt"),
        "-o",
        str(target),
        *(["--history", str(history)] if command == "digest" else []),
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot write") and "does not exist" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not history.exists()


def test_format_follows_the_output_extension(tmp_path: Path) -> None:
    page = tmp_path / "digest.html"
    result = run("digest", str(DIGEST_DAY), "--no-history", "-q", "-o", str(page))
    assert result.exit_code == 0, result.output
    assert page.read_text().lstrip().lower().startswith("<!doctype html>")
    data = tmp_path / "b.json"
    result = run("summarize", str(EXAMPLES / "azerbaijan-nato.txt"), "-q", "-o", str(data))
    assert result.exit_code == 0
    assert json.loads(data.read_text())["schema_version"] == "1"


def test_a_format_contradicting_the_extension_warns(tmp_path: Path) -> None:
    from briefer.cli.outputs import choose_format

    assert choose_format("md", Path("d.html"), ("md", "html")).warning is not None
    assert choose_format("html", Path("d.html"), ("md", "html")).warning is None
    assert choose_format(None, Path("d.xyz"), ("md", "html")).fmt == "md"
    assert choose_format(None, Path("d.jsonl"), ("md", "html", "json")).fmt == "md"
    target = tmp_path / "x.json"
    result = run("summarize", str(EXAMPLES / "azerbaijan-nato.txt"), "-f", "md", "-o", str(target))
    assert "whose extension says json" in result.stderr
    assert target.read_text().startswith("# ")


def test_json_with_several_inputs_is_one_array(notes: Path, tmp_path: Path) -> None:
    files = sorted(str(p) for p in notes.iterdir())
    result = run("summarize", *files, "-f", "json", "-q")
    assert result.exit_code == 0, result.output
    array = json.loads(result.stdout)
    assert [b["source"]["path"] for b in array] == files
    # A folder stands for several even when it holds one article.
    single = tmp_path / "single"
    single.mkdir()
    shutil.copy(files[0], single)
    result = run("summarize", str(single), "-f", "json", "-q")
    assert len(json.loads(result.stdout)) == 1
    # One file: one object, as the contract says.
    result = run("summarize", files[0], "-f", "json", "-q")
    assert json.loads(result.stdout)["schema_version"] == "1"


def test_jsonl_and_json_into_one_file_take_several_inputs(notes: Path, tmp_path: Path) -> None:
    files = sorted(str(p) for p in notes.iterdir())
    target = tmp_path / "all.jsonl"
    result = run("summarize", *files, "-q", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert len(target.read_text().splitlines()) == len(files)
    target = tmp_path / "all.json"
    result = run("summarize", *files, "-q", "-o", str(target))
    assert len(json.loads(target.read_text())) == len(files)


def test_a_failed_run_does_not_replace_the_output_file(tmp_path: Path) -> None:
    target = tmp_path / "kept.md"
    target.write_text("yesterday's briefing\n")
    result = run("summarize", str(tmp_path / "missing.txt"), "-o", str(target))
    assert result.exit_code == 1
    assert target.read_text() == "yesterday's briefing\n"


def test_an_output_that_cannot_be_replaced_fails_that_output_only(
    notes: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    files = sorted(str(p) for p in notes.iterdir())
    # A folder where the first briefing should go: no file can replace it, even as root.
    (out / f"{Path(files[0]).stem}.md").mkdir()
    result = run("summarize", *files, "-q", "--output-dir", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write") and "Traceback" not in result.output
    assert sorted(p.name for p in out.glob("*.md") if p.is_file()) == sorted(
        f"{Path(f).stem}.md" for f in files[1:]
    )
    assert not [p for p in out.iterdir() if ".tmp" in p.name]


def test_a_quotation_is_set_in_quotation_marks_once_and_a_sentence_keeps_its_own() -> None:
    from briefer.render.html import _quote
    from briefer.render.markdown import quote_markdown
    from briefer.schema import Evidence

    text = '"We will build the bridge," Tom Weller said. "It opens in May."'
    sentence = Evidence(quote=text[:44], start=0, end=44, direct=True)
    quotation = Evidence(quote=text[45:], start=45, end=len(text), direct=True)
    assert quote_markdown(quotation) == "“It opens in May.”"
    assert quote_markdown(sentence) == '_"We will build the bridge," Tom Weller said._'
    assert "“" not in _quote(sentence, None)
    assert _quote(quotation, None) == "<blockquote>“It opens in May.”</blockquote>"
