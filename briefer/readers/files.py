"""Local files as inputs: one way to find them (folders, globs) and one way to read them.

Folders and globs are walked without recursion (a tree any depth deep is only a longer walk)
and in name order. What they find is read through `read_file`, which checks again on the
opened descriptor what the walk saw: a file swapped for a link between the walk and the read
is caught there, not trusted. Only regular files are read from a folder or a glob (a FIFO
would hang the run, /dev/zero would fill memory), and never more bytes than the cap, whatever
`stat` says.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError

MAX_INPUT_BYTES = 20 * 1024 * 1024
_GLOB_CHARS = set("*?[")


def is_glob(source: str) -> bool:
    """Whether an input is a pattern rather than a path that exists."""
    return bool(_GLOB_CHARS & set(source)) and not Path(source).exists()


def glob_root(pattern: str) -> Path:
    """The folder a glob cannot leave: its path up to the first part with a wildcard."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def walk(folder: Path) -> Iterator[Path]:
    """Every file under `folder` in name order, depth first, hidden names skipped; links to
    folders are not entered (their target may be anywhere)."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                names = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        folders = []
        for entry in names:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                folders.append(path)
            else:
                yield path
        stack.extend(reversed(folders))


def glob_matches(pattern: str) -> list[Path]:
    """The files a glob matches (a matched folder stands for the files under it), in name
    order; folders reached through a link are not entered."""
    found: list[Path] = []
    for match in sorted(glob.glob(pattern, recursive=True)):
        path = Path(match)
        if path.is_dir() and not path.is_symlink():
            found.extend(walk(path))
        elif not path.is_dir():
            found.append(path)
    return found


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, links resolved, lies in `root` (links resolved too)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def read_file(path: Path, root: Path | None = None, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the file at `path`: at most `limit` (more is an InputError).

    With `root` (a file found in a folder or by a glob, not named by the user) only a regular
    file is read, and only if the file opened lies in `root`: checked on the descriptor (the
    path the kernel opened), so a link put in place after the walk is refused too.
    """
    name = str(path)
    # O_NONBLOCK: opening a FIFO does not wait for a writer (it is refused after fstat).
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory; pass the files inside it") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(name, "is a directory; pass the files inside it")
        if root is not None:
            if not stat.S_ISREG(info.st_mode):
                raise InputError(name, "is not a regular file: not read")
            if not _opened_inside(descriptor, root):
                raise InputError(name, "lies outside its folder: not read")
        if info.st_size > limit:
            raise InputError(name, _too_large(info.st_size, limit))
        # A named pipe or device given by name is read without O_NONBLOCK's early end.
        os.set_blocking(descriptor, True)
        data = _read_at_most(descriptor, limit + 1)
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise InputError(name, _too_large(len(data), limit))
    return data


def _opened_inside(descriptor: int, root: Path) -> bool:
    """Whether the file behind `descriptor` lies in `root`, by the path the kernel opened."""
    proc = Path(f"/proc/self/fd/{descriptor}")
    try:
        opened = Path(os.readlink(proc))
    except OSError:
        return True  # no /proc (not Linux): O_NOFOLLOW and the walk's check stand
    return opened.is_relative_to(os.path.realpath(root))


def _read_at_most(descriptor: int, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(descriptor, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> str:
    shown = f"{size // 1_048_576} MB" if size >= 1_048_576 else f"{size:,} bytes"
    return f"too large ({shown}; the limit is {limit // 1_048_576} MB)"
