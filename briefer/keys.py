"""API keys stored on this machine (`briefer keys set openai`), like llm's keys.json.

The file sits beside the config file (the user config dir, or $BRIEFER_CONFIG's folder; the
caller names that folder, so this module needs nothing of settings) and is readable by its
owner only (0600): it is written through a descriptor created with that mode, then moved into
place, so no other user can read it even for a moment.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import ConfigError

FILE_NAME = "keys.json"


def keys_path(config_folder: Path) -> Path:
    """Where stored keys live: keys.json in the config file's folder."""
    return config_folder / FILE_NAME


def stored_keys(config_folder: Path) -> dict[str, str]:
    """Every stored key by name; empty when there is no usable file."""
    path = keys_path(config_folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"Key file {path} cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"Key file {path} is not a JSON object of names and keys")
    return {str(name): value for name, value in data.items() if isinstance(value, str)}


def stored_key(name: str, config_folder: Path) -> str | None:
    """The key stored under `name`, if any."""
    return stored_keys(config_folder).get(name)


def store_key(name: str, value: str, config_folder: Path) -> Path:
    """Store `value` under `name` (owner-only permissions); return the file's path."""
    value = value.strip()
    if not value:
        raise ConfigError("The key is empty: nothing was stored")
    keys = {**stored_keys(config_folder), name: value}
    path = keys_path(config_folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(keys, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.chmod(temporary, 0o600)  # in case the file already existed with a wider mode
    temporary.replace(path)
    return path
