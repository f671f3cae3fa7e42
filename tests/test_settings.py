from __future__ import annotations

from pathlib import Path

import pytest

from briefer import ConfigError, Settings


def test_precedence_flag_over_env_over_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.toml").write_text(
        'model = "from-file"\nconcurrency = 3\ntemperature = 0.5\n'
    )
    assert Settings.load().model == "from-file"
    monkeypatch.setenv("BRIEFER_MODEL", "from-env")
    settings = Settings.load()
    assert (settings.model, settings.concurrency, settings.temperature) == ("from-env", 3, 0.5)
    assert Settings.load(model="from-flag").model == "from-flag"


def test_sdk_variables_configure_the_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not Settings.load().llm_configured
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert Settings.load().base_url == "http://127.0.0.1:9/v1" and Settings.load().llm_configured


def test_key_is_not_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-hidden-123")
    assert "sk-hidden-123" not in repr(Settings.load())


@pytest.mark.parametrize(
    "options",
    [
        {"concurrency": 0},
        {"engine": "magic"},
        {"temperature": 5},
        {"structured": "xml"},
        {"nonsense": 1},
    ],
)
def test_invalid_settings(options: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        Settings.load(**options)


def test_bad_config_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("model = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Settings.load()
    (tmp_path / "config.toml").write_text('colour = "blue"\n')
    with pytest.raises(ConfigError, match="unknown key"):
        Settings.load()


def test_evidence_defaults_to_ref_and_comes_from_flag_env_or_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert Settings.load().evidence == "ref"
    assert Settings.load().max_output_tokens is None
    (tmp_path / "config.toml").write_text('evidence = "quote"\n')
    assert Settings.load().evidence == "quote"
    monkeypatch.setenv("BRIEFER_EVIDENCE", "ref")
    assert Settings.load().evidence == "ref"
    assert Settings.load(evidence="quote").evidence == "quote"
    with pytest.raises(ConfigError, match="evidence must be ref or quote"):
        Settings.load(evidence="verbatim")
