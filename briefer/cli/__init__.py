"""The command line: parse options, call the library, print, map errors to exit codes.

`app` holds the group and what commands share; `summarize` and `digest` the commands that
brief; `manage` schema, prompts, batch and cache; `catalog` keys, models and logs; `history`
the digest history; `plans` the --dry-run tables.
"""

from __future__ import annotations

from . import catalog, digest, history, manage, summarize  # noqa: F401  (they add their commands)
from .app import cli, main

__all__ = ["cli", "main"]
