"""`briefer history`: what earlier digests reported — the days held, one actor over time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .app import cli

if TYPE_CHECKING:
    from ..digests.history import History

HISTORY_FORMATS = ("md", "json")


def history_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--history",
        "history_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="History file [env BRIEFER_HISTORY; default: history.sqlite3 in the user data dir].",
    )(command)


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(HISTORY_FORMATS),
        default="md",
        show_default=True,
        help="Output format.",
    )(command)


@cli.group(invoke_without_command=True)
@history_option
@format_option
@click.pass_context
def history(ctx: click.Context, history_path: Path | None, fmt: str) -> None:
    """List the days the digest history holds; `history actor NAME` shows one actor's
    positions over time; `history forget DAY` removes a day.

    \b
        briefer history
        briefer history actor "Sergey Lavrov" -f json
        briefer history forget 2026-11-26
    """
    ctx.obj = history_path
    if ctx.invoked_subcommand is None:
        from ..render.history import render_days

        with _open(history_path) as held:
            click.echo(render_days(held.days(), fmt), nl=False)


@history.command("actor")
@click.argument("name")
@history_option
@format_option
@click.pass_context
def history_actor(ctx: click.Context, name: str, history_path: Path | None, fmt: str) -> None:
    """Show an actor's positions, day by day, with a quote each."""
    from ..render.history import render_actor
    from ..text.names import name_key

    with _open(history_path or ctx.obj) as held:
        click.echo(render_actor(name, held.actor_positions(name_key(name)), fmt), nl=False)


@history.command("forget")
@click.argument("day", metavar="YYYY-MM-DD")
@history_option
@click.pass_context
def history_forget(ctx: click.Context, day: str, history_path: Path | None) -> None:
    """Remove one day's digest from the history, so that the next digest compares with the
    day before it.

    \b
        briefer history forget 2026-11-26
    """
    import datetime

    from ..errors import ConfigError

    try:
        datetime.date.fromisoformat(day)
    except ValueError as exc:
        raise ConfigError(f"{day!r} is not a day: give it as YYYY-MM-DD") from exc
    with _open(history_path or ctx.obj) as held:
        if not held.forget(day):
            raise ConfigError(f"the history {held.path} holds no digest of {day}")
        click.echo(f"Forgot the digest of {day} ({held.path}).")


def _open(path: Path | None) -> History:
    from ..digests.history import History
    from ..settings import Settings

    return History(Settings.load(history_path=path).resolved_history_path)
