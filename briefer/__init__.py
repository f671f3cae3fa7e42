"""briefer: structured briefings of news and policy articles.

>>> import briefer
>>> b = briefer.summarize("article.txt", base_url="http://localhost:11434/v1", model="llama3.1")
>>> [actor.name for actor in b.actors]
"""

from __future__ import annotations

from .api import Outcome, plan, summarize, summarize_async, summarize_each, summarize_many
from .errors import (
    BrieferError,
    BudgetError,
    CacheError,
    ConfigError,
    InputError,
    LLMError,
    SchemaError,
)
from .pipeline import Plan
from .schema import Actor, Briefing, Engine, Evidence, KeyFact, OpenIssue, Position, Source
from .settings import Settings
from .sources import Article

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "BrieferError",
    "Briefing",
    "BudgetError",
    "CacheError",
    "ConfigError",
    "Engine",
    "Evidence",
    "InputError",
    "KeyFact",
    "LLMError",
    "OpenIssue",
    "Outcome",
    "Plan",
    "Position",
    "SchemaError",
    "Settings",
    "Source",
    "plan",
    "summarize",
    "summarize_async",
    "summarize_each",
    "summarize_many",
]
