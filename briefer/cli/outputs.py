"""Where a command's output goes, checked before any work: the format a file name implies, a
folder that exists, and never a path that is one of the inputs."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, OutputError

# What each output file extension says its content is.
FORMAT_OF_EXTENSION = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class FormatChoice:
    """The format to write and, when -f and the file's extension disagree, a warning."""

    fmt: str
    warning: str | None = None


def choose_format(
    fmt: str | None, output: Path | None, choices: Sequence[str], default: str = "md"
) -> FormatChoice:
    """-f when given, else what the -o file's extension names among `choices`, else `default`.
    A -f that contradicts the extension is obeyed with a warning, since the user may mean it."""
    implied = FORMAT_OF_EXTENSION.get(output.suffix.lower()) if output else None
    if fmt is None:
        return FormatChoice(implied if implied is not None and implied in choices else default)
    if implied is not None and implied != fmt:
        return FormatChoice(
            fmt, f"Warning: writing {fmt} into {output}, whose extension says {implied}"
        )
    return FormatChoice(fmt)


def local_input_files(inputs: Iterable[str | Path]) -> list[Path]:
    """Every file on this machine that an input names or holds: the file itself, each file in
    a folder (recursively), each match of a glob. URLs and stdin name none."""
    found: list[Path] = []
    for source in inputs:
        text = str(source)
        if text == "-" or "://" in text:
            continue
        path = Path(text)
        if path.is_dir():
            found += [p for p in path.rglob("*") if p.is_file()]
        elif path.exists():
            found.append(path)
        elif set("*?[") & set(text):
            found += [Path(m) for m in glob.glob(text, recursive=True) if Path(m).is_file()]
    return found


def check_output_file(path: Path, inputs: Sequence[Path]) -> None:
    """Refuse an output file that cannot be written or that is one of the inputs."""
    if path.is_dir():
        raise ConfigError(f"-o {path} is a folder; name a file in it")
    folder = path.parent
    if not folder.is_dir():
        raise ConfigError(f"cannot write {path}: the folder {folder} does not exist; create it")
    if not os.access(folder, os.W_OK):
        raise ConfigError(f"cannot write {path}: the folder {folder} is not writable")
    _refuse_input(path, inputs, "-o")


def check_output_dir(folder: Path, targets: Sequence[Path], inputs: Sequence[Path]) -> None:
    """Refuse an --output-dir that is a file, or whose outputs would replace an input."""
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"--output-dir {folder} is a file, not a folder")
    for target in targets:
        _refuse_input(target, inputs, "--output-dir")


def _refuse_input(target: Path, inputs: Sequence[Path], option: str) -> None:
    for source in inputs:
        if _same_file(target, source):
            raise ConfigError(
                f"{option} would overwrite the input {source} with its output; write somewhere else"
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file beside it, so a reader never sees half
    a file; OutputError when it cannot be written, with no temporary file left behind."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
