"""Prompt templates: files in prompts/, each with a header that declares its variables.

A template file looks like:

    ---
    variables: title, article
    ---
    Body with {title} and {article}; literal braces are doubled: {{ }}.

The standard library's formatter renders them. Every template's body is checked against its
header when the set loads, so a broken template fails before the first paid call; rendering
fails on a missing or unknown variable.
A prompt set's version is a hash of its files' contents, so an edited template changes the
cache key and the `engine.prompt_version` of every briefing it produces.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

SUFFIX = ".txt"
REQUIRED = (
    "map.system",
    "map.user",
    "evidence.quote",
    "evidence.ref",
    "consolidate.system",
    "consolidate.user",
    "repair.user",
    "schema.system",
    "synthesis.system",
    "synthesis.user",
    "editor.system",
    "editor.user",
    "positions.system",
    "positions.user",
)


def marker(data: str) -> str:
    """The marker that fences `data` in a request: derived from the data, so identical input
    gives an identical request (and cache key), yet the data cannot hold the marker that
    closes it."""
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def fenced_request(
    prompts: PromptSet, name: str, field: str, data: str, **fields: str
) -> list[dict[str, str]]:
    """A digest step's request: `name`'s system prompt, and its user prompt with `data` in
    `field`, fenced by the marker made from it, and the other `fields`."""
    user = prompts[f"{name}.user"].render(marker=marker(data), **{field: data}, **fields)
    return [
        {"role": "system", "content": prompts[f"{name}.system"].render()},
        {"role": "user", "content": user},
    ]


def default_prompts_dir() -> Path:
    """Return the shipped templates: inside the installed package, else the source tree's."""
    packaged = Path(__file__).parent / "prompts"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "prompts"


@dataclass(frozen=True)
class Template:
    """One prompt file: its declared variables and its body."""

    name: str
    variables: tuple[str, ...]
    body: str
    path: Path

    def render(self, **values: str) -> str:
        given, declared = set(values), set(self.variables)
        if given != declared:
            missing = ", ".join(sorted(declared - given)) or "none"
            unknown = ", ".join(sorted(given - declared)) or "none"
            raise ConfigError(
                f"Prompt {self.name}: variables do not match its header"
                f" (missing: {missing}; unknown: {unknown})"
            )
        return self.body.format(**values)


def parse(name: str, text: str, path: Path) -> Template:
    """Parse a template file's text; raise ConfigError when its header is malformed."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ConfigError(f"Prompt {path} must start with a '---' header declaring its variables")
    try:
        close = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise ConfigError(f"Prompt {path}: header is not closed with '---'") from None
    variables: tuple[str, ...] = ()
    for line in lines[1:close]:
        key, _, value = line.partition(":")
        if key.strip() == "variables":
            variables = tuple(v.strip() for v in value.split(",") if v.strip())
    body = "".join(lines[close + 1 :]).strip() + "\n"
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(body) if field is not None}
    except ValueError as exc:
        raise ConfigError(f"Prompt {path}: {exc} (write a literal brace as {{{{ or }}}})") from None
    if used != set(variables):
        raise ConfigError(
            f"Prompt {path}: header declares {sorted(variables)} but the body uses {sorted(used)}"
            " (fields are plain names like {title}; literal braces are doubled)"
        )
    return Template(name, variables, body, path)


@dataclass(frozen=True)
class PromptSet:
    """The templates of one directory, with the version that enters the cache key."""

    directory: Path
    templates: dict[str, Template]
    version: str

    def __getitem__(self, name: str) -> Template:
        try:
            return self.templates[name]
        except KeyError:
            raise ConfigError(f"No prompt named {name!r} in {self.directory}") from None


def load(directory: Path | None = None) -> PromptSet:
    """Load every template of `directory` (default: the shipped set) and check the set is whole."""
    directory = directory or default_prompts_dir()
    if not directory.is_dir():
        raise ConfigError(f"Prompts directory {directory} does not exist")
    templates: dict[str, Template] = {}
    digest = hashlib.sha256()
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        name = path.name.removesuffix(SUFFIX)
        text = path.read_text(encoding="utf-8")
        templates[name] = parse(name, text, path)
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    missing = [name for name in REQUIRED if name not in templates]
    if missing:
        raise ConfigError(f"Prompts directory {directory} lacks: {', '.join(missing)}")
    return PromptSet(directory, templates, digest.hexdigest()[:12])
