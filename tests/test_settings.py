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


@pytest.mark.parametrize(
    ("variable", "value", "setting"),
    [
        ("BRIEFER_TIMEOUT", "-1", "timeout"),
        ("BRIEFER_TIMEOUT", "soon", "timeout"),
        ("BRIEFER_MAX_RETRIES", "-2", "max_retries"),
        ("BRIEFER_CONCURRENCY", "0", "concurrency"),
        ("BRIEFER_ALLOW_PRIVATE_URLS", "maybe", "allow_private_urls"),
        ("BRIEFER_PROVIDER", "anthropic", "provider"),
    ],
)
def test_every_setting_is_validated(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, setting: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=f"Setting {setting} has an invalid value"):
        Settings.load()


def test_max_cost_and_booleans_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="max_cost"):
        Settings.load(max_cost=-0.5)
    monkeypatch.setenv("BRIEFER_ALLOW_PRIVATE_URLS", "0")
    assert Settings.load().allow_private_urls is False
    monkeypatch.setenv("BRIEFER_ALLOW_PRIVATE_URLS", "yes")
    assert Settings.load().allow_private_urls is True


def test_only_the_sdks_own_variables_name_a_key_or_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stray API_KEY or BASE_URL in the shell belongs to something else."""
    monkeypatch.setenv("API_KEY", "sk-someone-elses-0123456789")
    monkeypatch.setenv("BASE_URL", "http://elsewhere.example/v1")
    settings = Settings.load()
    assert settings.api_key is None and settings.base_url is None
    monkeypatch.setenv("OPENAI_API_KEY", "sk-ours-0123456789")
    assert Settings.load().api_key == "sk-ours-0123456789"
    assert "sk-ours" not in repr(Settings.load())


def test_a_price_is_in_slash_out() -> None:
    assert Settings.load(price="0.15/0.6").price_per_million == (0.15, 0.6)
    with pytest.raises(ConfigError, match="price"):
        Settings.load(price="cheap")


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
    with pytest.raises(ConfigError, match="evidence has an invalid value .* 'ref' or 'quote'"):
        Settings.load(evidence="verbatim")
