"""Files briefer keeps state in (the response cache, the digest history): they hold whole
articles and model replies, so they are created readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path


def create_private(path: Path) -> None:
    """Create the folder and an empty file at `path`, mode 0600, unless the file exists (an
    existing file keeps the mode its owner gave it). SQLite gives its -wal and -shm files the
    database file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
