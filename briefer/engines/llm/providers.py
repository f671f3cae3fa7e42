"""The one registry of providers: which backend a run's settings ask for."""

from __future__ import annotations

from ...errors import ConfigError
from ...settings import Settings
from .langchain_chat import LangChainChat, load_chat_model
from .openai_compat import OpenAICompatible
from .provider import Provider

LANGCHAIN_PREFIX = "langchain:"


def open_provider(settings: Settings) -> Provider:
    """The provider for `settings`: a LangChain chat model when one is given (as an object
    from Python, or as `langchain:module.Class`), else the OpenAI-compatible endpoint."""
    if settings.llm is not None:
        return LangChainChat(settings.llm)
    if settings.provider and settings.provider.startswith(LANGCHAIN_PREFIX):
        spec = settings.provider.removeprefix(LANGCHAIN_PREFIX)
        return LangChainChat(load_chat_model(spec, settings.provider_options))
    if not (settings.api_key or settings.base_url):
        raise ConfigError(
            "No API key: set OPENAI_API_KEY, or pass --base-url for a local server,"
            " or use --engine extractive."
        )
    return OpenAICompatible(settings)
