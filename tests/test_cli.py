from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import briefer
import briefer.readers.inputs
from briefer.cli import cli

from .conftest import EXAMPLES
from .fake_openai import FakeOpenAI

ARTICLES = sorted(str(p) for p in EXAMPLES.glob("*.*"))


def invoke(*args: str, input: str | None = None):  # noqa: A002
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_markdown_briefing(fake: FakeOpenAI, seed_article: Path) -> None:
    result = invoke("summarize", str(seed_article))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# ")
    assert "## Actors" in result.stdout and "**Araz Azimov**" in result.stdout
    assert "## Open issues" in result.stdout


def test_json_output_dir(fake: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("summarize", *ARTICLES, "-f", "json", "--output-dir", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(Path(a).stem + ".json" for a in ARTICLES)
    # The briefings are in the files; stdout carries no empty JSON array beside them.
    assert result.stdout == ""
    for path in out.iterdir():
        assert json.loads(path.read_text())["schema_version"] == "1"


def test_jsonl_and_stdin(fake: FakeOpenAI, seed_article: Path) -> None:
    result = invoke(
        "summarize", "-", str(seed_article), "-f", "jsonl", input=seed_article.read_text()
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["source"]["path"] == "-"
    assert json.loads(lines[0])["source"]["id"] == json.loads(lines[1])["source"]["id"]


def test_output_file_and_text_format(fake: FakeOpenAI, seed_article: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.txt"
    result = invoke("summarize", str(seed_article), "-f", "text", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert "ACTORS" in target.read_text()


def test_failed_input_still_writes_the_others(
    fake: FakeOpenAI, seed_article: Path, tmp_path: Path
) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["summarize", str(binary), str(seed_article), "--output-dir", str(out)]
    )
    assert result.exit_code == 1
    assert "photo.txt: is a binary file" in result.stderr
    assert "Traceback" not in result.output
    assert (out / "azerbaijan-nato.md").exists()


def test_dry_run_sends_nothing(fake: FakeOpenAI, seed_article: Path) -> None:
    result = invoke("summarize", str(seed_article), "--dry-run")
    assert result.exit_code == 0
    assert fake.requests == []
    assert "nothing was sent" in result.stdout and "$" in result.stdout
    assert "sk-test-secret" not in result.output


def test_no_key_uses_the_offline_engine(seed_article: Path) -> None:
    result = invoke("summarize", str(seed_article), "-f", "json")
    assert result.exit_code == 0
    assert "offline extractive engine" in result.stderr
    assert json.loads(result.stdout)["engine"]["name"] == "extractive"


def test_engine_llm_without_key_is_a_usage_error(seed_article: Path) -> None:
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "--engine", "llm"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: No API key: set OPENAI_API_KEY, or pass --base-url for a local server, "
        "or use --engine extractive."
    ]


def test_api_error_is_one_line_and_exit_1(fake: FakeOpenAI, seed_article: Path) -> None:
    from .fake_openai import Reply

    fake.enqueue(Reply(status=401))
    result = CliRunner().invoke(cli, ["summarize", str(seed_article)])
    assert result.exit_code == 1
    assert "rejected the API key" in result.stderr and "sk-test-secret" not in result.stderr


def test_cache_commands(fake: FakeOpenAI, seed_article: Path) -> None:
    invoke("summarize", str(seed_article))
    info = invoke("cache", "info")
    assert "entries: 1" in info.stdout
    invoke("summarize", str(seed_article))
    assert "hits: 1" in invoke("cache", "info").stdout
    # Clearing asks first: the logs go with the replies.
    kept = CliRunner().invoke(cli, ["cache", "clear"], input="n\n")
    assert kept.exit_code == 1 and "briefer logs" in kept.output
    assert "entries: 1" in invoke("cache", "info").stdout
    assert "removed 1" in CliRunner().invoke(cli, ["cache", "clear"], input="y\n").stdout
    invoke("summarize", str(seed_article))
    assert "removed 1" in invoke("cache", "clear", "--yes").stdout
    assert "entries: 0" in invoke("cache", "info").stdout


def test_schema_command_prints_the_contract() -> None:
    schema = json.loads(invoke("schema").stdout)
    assert schema["properties"]["schema_version"]["const"] == "1"


def test_prompts_commands(tmp_path: Path) -> None:
    listing = invoke("prompts", "list").stdout
    assert "map.system" in listing and "consolidate.user" in listing
    assert invoke("prompts", "show", "map.user").stdout.startswith("---")
    result = CliRunner().invoke(cli, ["prompts", "show", "nope"])
    assert result.exit_code == 2 and "No prompt named" in result.stderr


def test_edited_prompts_change_the_request_and_the_version(
    fake: FakeOpenAI, seed_article: Path, tmp_path: Path
) -> None:
    import shutil

    from briefer.prompts import default_prompts_dir

    edited = tmp_path / "prompts"
    shutil.copytree(default_prompts_dir(), edited)
    system = edited / "map.system.txt"
    system.write_text(system.read_text() + "\nBe brief.\n")
    result = invoke("summarize", str(seed_article), "-f", "json", "--prompts-dir", str(edited))
    assert fake.requests[-1]["messages"][0]["content"].rstrip().endswith("Be brief.")
    default = invoke("summarize", str(seed_article), "-f", "json")
    assert len(fake.requests) == 2, "an edited prompt is a different cache entry"
    assert (
        json.loads(result.stdout)["engine"]["prompt_version"]
        != json.loads(default.stdout)["engine"]["prompt_version"]
    )


def test_evidence_option_chooses_citing_or_quoting(fake: FakeOpenAI, seed_article: Path) -> None:
    runner = CliRunner()
    for option, numbered in (("ref", True), ("quote", False)):
        fake.reset()
        args = ["summarize", str(seed_article), "-f", "json", "-q", "--no-cache"]
        result = runner.invoke(cli, [*args, "--evidence", option], catch_exceptions=False)
        assert result.exit_code == 0
        [request] = fake.requests
        assert ("[S1] " in request["messages"][1]["content"]) is numbered
        assert json.loads(result.stdout)["positions"]


def test_summarize_reads_a_folder_and_a_feed_like_digest(tmp_path: Path) -> None:
    from .conftest import DIGEST_DAY, FEEDS

    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "summarize",
            str(DIGEST_DAY),
            str(FEEDS / "evening-wire.xml"),
            "-f",
            "json",
            "-q",
            "--output-dir",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 6 + len(
        list(briefer.readers.inputs.expand(str(FEEDS / "evening-wire.xml")))
    )
    # -o takes a folder's articles too: one file holding what would have been printed.
    one = CliRunner().invoke(
        cli, ["summarize", str(DIGEST_DAY), "-q", "-o", str(tmp_path / "x.jsonl")]
    )
    assert one.exit_code == 0, one.output
    lines = (tmp_path / "x.jsonl").read_text().splitlines()
    assert len(lines) == 6 and all(json.loads(line)["schema_version"] == "1" for line in lines)


def test_explicit_text_path_and_url_in_python(tmp_path: Path, seed_article: Path) -> None:
    by_path = briefer.summarize(path=seed_article)
    assert by_path.source.path == str(seed_article)
    text = seed_article.read_text()
    assert briefer.summarize(text=text).source.id == by_path.source.id
    named_like_a_file = briefer.summarize(text="notes.txt is what the minister said today.")
    assert "minister" in named_like_a_file.summary
    with pytest.raises(briefer.InputError, match="not an http"):
        briefer.summarize(url="ftp://example.org/x")
    with pytest.raises(briefer.ConfigError, match="exactly one"):
        briefer.summarize(seed_article, text=text)
