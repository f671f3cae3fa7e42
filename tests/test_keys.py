"""Keys stored with `briefer keys set`: owner-only file, read by settings."""

from __future__ import annotations

import stat
from pathlib import Path

from click.testing import CliRunner

from briefer.cli import cli
from briefer.keys import keys_path
from briefer.settings import Settings, config_path


def test_keys_set_stores_the_key_owner_only_and_settings_read_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["keys", "set", "openai"], input="sk-stored-0123456789\n")
    assert result.exit_code == 0, result.output
    path = keys_path(config_path().parent)
    assert path.parent == tmp_path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings.load().api_key == "sk-stored-0123456789"
    listed = CliRunner().invoke(cli, ["keys", "list"])
    assert listed.stdout == "openai\n" and "sk-stored" not in listed.output


def test_the_environment_and_config_file_come_before_the_stored_key(
    tmp_path: Path, monkeypatch
) -> None:
    CliRunner().invoke(cli, ["keys", "set", "openai", "--value", "sk-stored-0123456789"])
    (tmp_path / "config.toml").write_text('api_key = "sk-config-0123456789"\n')
    assert Settings.load().api_key == "sk-config-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-0123456789")
    assert Settings.load().api_key == "sk-env-0123456789"


def test_a_stored_key_turns_the_llm_engine_on(fake, seed_article: Path, monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    CliRunner().invoke(cli, ["keys", "set", "openai", "--value", "sk-stored-0123456789"])
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "-q"])
    assert result.exit_code == 0
    headers = {k.lower(): v for k, v in fake.requests[0]["_headers"].items()}
    assert headers["authorization"] == "Bearer sk-stored-0123456789"


def test_models_lists_windows_output_caps_and_prices() -> None:
    result = CliRunner().invoke(cli, ["models"])
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("gpt-4o-mini "))
    assert line.split() == ["gpt-4o-mini", "128,000", "16,384", "0.15", "0.60"]
    assert any(
        line.startswith("llama3.1 ") and "local" in line for line in result.stdout.splitlines()
    )


def test_prompts_export_copies_the_templates_for_editing(tmp_path: Path) -> None:
    target = tmp_path / "my-prompts"
    result = CliRunner().invoke(cli, ["prompts", "export", str(target)])
    assert result.exit_code == 0
    assert (target / "map.system.txt").is_file()
    listed = CliRunner().invoke(cli, ["prompts", "list", "--prompts-dir", str(target)])
    assert "map.system" in listed.stdout
    again = CliRunner().invoke(cli, ["prompts", "export", str(target)])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert CliRunner().invoke(cli, ["prompts", "export", str(target), "--force"]).exit_code == 0
