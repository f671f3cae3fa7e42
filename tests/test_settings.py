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


def test_boolean_environment_switches_read_off_as_off(monkeypatch) -> None:
    monkeypatch.setenv("BRIEFER_ALLOW_PRIVATE_URLS", "0")
    monkeypatch.setenv("BRIEFER_FOLLOW_SYMLINKS", "no")
    settings = Settings.load()
    assert settings.allow_private_urls is False and settings.follow_symlinks is False
