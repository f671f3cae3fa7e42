"""briefer: structured briefings of news and policy articles.

>>> import briefer
>>> b = briefer.summarize("article.txt", base_url="http://localhost:11434/v1", model="llama3.1")
>>> [actor.name for actor in b.actors]
"""

from __future__ import annotations

from .api import (
    Outcome,
    digest,
    digest_async,
    plan,
    summarize,
    summarize_async,
    summarize_each,
    summarize_many,
)
from .briefing.planning import Plan
from .errors import (
    BrieferError,
    BudgetError,
    CacheError,
    ConfigError,
    CostLimitError,
    InputError,
    LLMError,
    SchemaError,
)
from .progress import Progress
from .readers.sources import Article
from .runnable import as_runnable
from .schema import (
    Actor,
    Briefing,
    Digest,
    Engine,
    Evidence,
    KeyFact,
    OpenIssue,
    Position,
    Source,
)
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "BrieferError",
    "Briefing",
    "BudgetError",
    "CostLimitError",
    "CacheError",
    "ConfigError",
    "Digest",
    "Engine",
    "Evidence",
    "InputError",
    "KeyFact",
    "LLMError",
    "OpenIssue",
    "Outcome",
    "Plan",
    "Position",
    "Progress",
    "SchemaError",
    "Settings",
    "Source",
    "as_runnable",
    "digest",
    "digest_async",
    "plan",
    "summarize",
    "summarize_async",
    "summarize_each",
    "summarize_many",
]
