"""The `digest` command: a day's articles briefed, grouped into stories and summed up."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .app import (
    Once,
    cli,
    engine_notice,
    error_line,
    listener,
    model_options,
    settings_from,
    stderr_line,
)
from .outputs import (
    check_output_file,
    choose_format,
    local_input_files,
    write_atomically,
)
from .plans import print_digest_plan

DIGEST_FORMATS = ("md", "html", "json")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--date",
    "day",
    metavar="YYYY-MM-DD",
    help="Only articles published that day (also: today, yesterday).",
)
@click.option(
    "--since",
    metavar="WHEN",
    help="Only articles published since: 24h, 90m, 7d, yesterday, 2026-11-26T18:00.",
)
@click.option("--title", default=None, help="Title of the digest [Digest — DATE].")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(DIGEST_FORMATS),
    default=None,
    help="Output format: Markdown, a standalone HTML page, or JSON (the digest contract)"
    " [default: what the -o file's extension names, else md].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the digest to FILE instead of stdout.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read the inputs and show the planned calls, tokens and cost, sync and batch.",
)
@click.option("-q", "--quiet", is_flag=True, help="No notices or progress on stderr.")
@click.option(
    "--history",
    "history_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="History file that digests compare with and record to"
    " [env BRIEFER_HISTORY; default: history.sqlite3 in the user data dir].",
)
@click.option("--no-history", is_flag=True, help="Neither compare with nor record to the history.")
@model_options
def digest(
    inputs: tuple[str, ...],
    day: str | None,
    since: str | None,
    title: str | None,
    fmt: str | None,
    output: Path | None,
    dry_run: bool,
    quiet: bool,
    history_path: Path | None,
    no_history: bool,
    **options: Any,
) -> None:
    """Digest many articles into one briefing of the day: top lines, stories, an actor index
    with contradictions flagged, and the open issues, with every source cited.

    INPUTS are files, folders (read recursively), globs, RSS/Atom feed files or feed URLs,
    URL lists (a .urls file, one URL a line) and article URLs. Near-duplicates are briefed once;
    articles outside --date/--since are skipped. Inputs that fail are listed in the digest and
    the exit code is 1. A rerun after an interruption reuses every finished call.

    Each digest is compared with the history of earlier digests (stories new or continuing,
    changed positions, settled issues) and recorded there; a rerun of a day replaces it.

    \b
        briefer digest news/ --date 2026-11-26 -f html -o digest.html
        briefer digest feeds/world.xml 'inbox/**/*.html' -f json -o digest.json
        briefer digest today.urls --since 2026-11-26T18:00 --concurrency 16
        briefer digest feeds/world.xml --since 24h -o digest.md
    """
    from ..api import digest as build
    from ..render import render_digest
    from ..render.digest_markdown import overview
    from .progress_line import ProgressLine

    choice = choose_format(fmt, output, DIGEST_FORMATS)
    if output:
        check_output_file(output, local_input_files(inputs))
    settings = settings_from(
        {**options, "history_path": history_path, "use_history": False if no_history else None}
    )
    if dry_run:
        print_digest_plan(inputs, settings, day, since)
        return
    if choice.warning and not quiet:
        stderr_line(choice.warning)
    notice = Once(None if quiet else engine_notice(settings))
    progress = ProgressLine(sys.stderr, enabled=not quiet, before_first=notice)
    try:
        result = build(
            list(inputs),
            date=day,
            since=since,
            title=title,
            on_event=listener(progress, notice, quiet, others=False),
            settings=settings,
        )
    finally:
        progress.close()
    if result.articles:
        notice()
    rendered = render_digest(result, choice.fmt)
    if output:
        write_atomically(output, rendered)
    else:
        click.echo(rendered, nl=False)
    for failure in result.failures:
        error_line(f"{failure.source}: {failure.reason}")
    # Even with -q: a cut, a history left alone or a step that fell back is what a cron job's
    # mail should show.
    for warning in result.warnings:
        stderr_line(f"Warning: {warning}")
    if result.changes and result.changes.started and not quiet:
        stderr_line(f"briefer: no digest history yet; started one at {result.changes.history}")
    if not quiet:
        stderr_line(f"digest: {overview(result)}" + (f" → {output}" if output else ""))
    if result.failures:
        sys.exit(1)
