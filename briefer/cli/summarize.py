"""The `summarize` command: briefings of one or many articles."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import Any

import click

from .app import (
    Once,
    cli,
    command_line_inputs,
    engine_notice,
    error_line,
    listener,
    model_options,
    settings_from,
    stderr_line,
)
from .outputs import (
    check_output_dir,
    check_output_file,
    choose_format,
    local_input_files,
    write_atomically,
)
from .plans import print_plan

FORMATS = ("md", "json", "jsonl", "text")
EXTENSIONS = {"md": "md", "json": "json", "jsonl": "jsonl", "text": "txt"}


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format [default: what the -o file's extension names, else md].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE what would be printed (all inputs; -f json: one JSON array).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write DIR/<input name>.<format> for each input (DIR is created).",
)
@click.option(
    "--dry-run", is_flag=True, help="Show the planned calls, tokens and cost; send nothing."
)
@click.option("-q", "--quiet", is_flag=True, help="No notices or progress on stderr.")
@model_options
def summarize(
    inputs: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    output_dir: Path | None,
    dry_run: bool,
    quiet: bool,
    **options: Any,
) -> None:
    """Brief one or more articles: text, Markdown or HTML files, URLs, or - for stdin.

    Prints a Markdown briefing by default; -f json prints one object for one article and a
    JSON array for several (or for a folder, glob, feed or URL list). Inputs that fail are
    reported on stderr while the others are still written; the exit code is then 1. An
    output that would replace an input is refused before any work.

    \b
        briefer summarize article.txt
        briefer summarize a.txt b.html c.md -f json --output-dir out/
        briefer summarize news/ -o briefings.jsonl
        curl -s https://example.org/story | briefer summarize - -f text
        briefer summarize long.txt --base-url http://localhost:11434/v1 -m llama3.1
        briefer summarize *.txt --dry-run
    """
    from ..errors import ConfigError

    if output and output_dir:
        raise ConfigError("use either -o/--output or --output-dir, not both")
    choice = choose_format(fmt, output, FORMATS)
    protected = local_input_files(inputs)
    if output:
        check_output_file(output, protected)
    settings = settings_from(options)
    if dry_run:
        print_plan(inputs, settings)
        return
    if choice.warning and not quiet:
        stderr_line(choice.warning)
    notice = Once(None if quiet else engine_notice(settings))
    sink = Sink(output)
    failures = asyncio.run(
        _summarize(inputs, settings, choice.fmt, sink, output_dir, protected, quiet, notice)
    )
    sink.close()
    if failures:
        sys.exit(1)


class Sink:
    """Where briefings go in input order: stdout as they come, or one -o file at the end
    (written only when at least one briefing was made, so a failed run replaces nothing);
    several JSON objects become one array."""

    def __init__(self, output: Path | None) -> None:
        self.array = False  # set once the inputs are resolved
        self.output = output
        self._pieces: list[str] = []

    def add(self, rendered: str) -> None:
        if self.array:
            rendered = ("[\n" if not self._pieces else ",\n") + rendered.rstrip("\n")
        self._pieces.append(rendered)
        if self.output is None:
            click.echo(rendered, nl=False)

    def close(self) -> None:
        tail = ("\n]\n" if self._pieces else "[]\n") if self.array else ""
        if self.output is None:
            click.echo(tail, nl=False)
        elif self._pieces:
            write_atomically(self.output, "".join(self._pieces) + tail)


async def _summarize(
    inputs: tuple[str, ...],
    settings: Any,
    fmt: str,
    sink: Sink,
    output_dir: Path | None,
    protected: list[Path],
    quiet: bool,
    notice: Once,
) -> int:
    from ..api import access_for, input_name, resolve_noting, summarize_each
    from ..errors import OutputError
    from ..events import Warned
    from ..readers.inputs import is_collection
    from ..render import render
    from .progress_line import ProgressLine

    # Folders, globs, feeds and URL lists stand for the articles they hold.
    access = access_for(settings)
    leaves, notes = await asyncio.to_thread(resolve_noting, command_line_inputs(inputs), access)
    progress = ProgressLine(sys.stderr, enabled=not quiet)
    hear = listener(progress, notice, quiet, others=True)
    for note in notes:
        hear(Warned("inputs", note))
    # Several briefings, or an input that stands for several (stdin only when it held more
    # than one), make a JSON array — on stdout or in -o's file; --output-dir gets one file each.
    sink.array = (
        fmt == "json"
        and output_dir is None
        and (len(inputs) > 1 or len(leaves) > 1 or (inputs[0] != "-" and is_collection(inputs[0])))
    )
    names = _output_names([input_name(leaf) for leaf in leaves])
    targets = [output_dir / f"{name}.{EXTENSIONS[fmt]}" for name in names] if output_dir else []
    if output_dir:
        check_output_dir(output_dir, targets, protected)
        output_dir.mkdir(parents=True, exist_ok=True)
    pending: dict[int, str] = {}
    next_to_print = 0
    # The same line as the digest's: briefing 3/12 · 1 failed · 2 cached · 45,210 tokens.
    failed = 0
    try:
        async for index, outcome in summarize_each(leaves, settings, hear, access):
            progress.clear()
            briefing = outcome.briefing
            rendered = ""
            if outcome.error is not None or briefing is None:
                error_line(str(outcome.error))
                failed += 1
            else:
                notice()
                rendered = render(briefing, fmt)
                if output_dir:
                    try:
                        write_atomically(targets[index], rendered)
                    except OutputError as exc:
                        # One output that cannot be written is that input's failure only.
                        error_line(str(exc))
                        failed += 1
                    rendered = ""
            # Print in input order however the calls finish.
            pending[index] = rendered
            while next_to_print in pending:
                text = pending.pop(next_to_print)
                if text:
                    progress.clear()
                    sink.add(text)
                next_to_print += 1
    finally:
        progress.close()
    return failed


def _output_names(inputs: list[str]) -> list[str]:
    """File stems for --output-dir: the input's stem, made unique."""
    from ..readers.sources import is_url

    names: list[str] = []
    for source in inputs:
        if source == "-":
            stem = "stdin"
        elif is_url(source):
            stem = re.sub(r"[^\w.-]+", "-", source.split("://", 1)[1].rstrip("/"))[-80:]
        else:
            stem = Path(source).stem or "article"
        candidate, n = stem, 2
        while candidate in names:
            candidate, n = f"{stem}-{n}", n + 1
        names.append(candidate)
    return names
