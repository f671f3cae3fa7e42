"""The commands about the machine's setup: stored keys, known models, the replies logged in
the cache."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import cli, command_line_inputs


@cli.group()
def keys() -> None:
    """Store API keys on this machine, readable by you only.

    \b
        briefer keys set openai       # prompts for the key
        briefer keys list
        briefer keys path
    """


@keys.command("set")
@click.argument("name")
@click.option("--value", default=None, help="The key (default: prompt for it, or read stdin).")
def keys_set(name: str, value: str | None) -> None:
    """Store the key for NAME (openai is the one briefer reads)."""
    from ..keys import store_key
    from ..settings import config_path

    if value is None:
        value = (
            click.prompt("Enter key", hide_input=True)
            if sys.stdin.isatty()
            else sys.stdin.readline()
        )
    path = store_key(name, value, config_path().parent)
    click.echo(f"stored the {name} key in {path}", err=True)


@keys.command("list")
def keys_list() -> None:
    """List the names of the stored keys (never the keys)."""
    from ..keys import stored_keys
    from ..settings import config_path

    names = sorted(stored_keys(config_path().parent))
    click.echo("\n".join(names) if names else "no keys stored")


@keys.command("path")
def keys_path() -> None:
    """Print where the keys are stored."""
    from ..keys import keys_path as path
    from ..settings import config_path

    click.echo(str(path(config_path().parent)))


@cli.command()
def models() -> None:
    """List the models briefer knows: context window, output cap and price.

    Other models work too: pass --context-window for their window and --price IN/OUT for
    their price (a server on this machine costs nothing).
    """
    from ..catalog import KNOWN_MODELS

    click.echo(
        f"{'model':16} {'context':>9} {'max output':>10} {'input $/M':>10} {'output $/M':>10}"
    )
    for name, info in KNOWN_MODELS.items():
        output = f"{info.max_output:,}" if info.max_output else "-"
        price_in = f"{info.input_price:.2f}" if info.input_price is not None else "local"
        price_out = f"{info.output_price:.2f}" if info.output_price is not None else "local"
        click.echo(
            f"{name:16} {info.context_window:>9,} {output:>10} {price_in:>10} {price_out:>10}"
        )


@cli.command()
@click.option("-n", "--count", type=int, default=5, show_default=True, help="How many.")
@click.option("-m", "--model", default=None, help="Only this model's requests.")
@click.option(
    "-i", "--input", "source", default=None, help="Only requests that carried this input."
)
@click.option("-v", "--verbose", is_flag=True, help="Also each request's model, tokens, time.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def logs(
    count: int, model: str | None, source: str | None, verbose: bool, cache_dir: Path | None
) -> None:
    """Show the requests and replies the cache holds, newest first.

    \b
        briefer logs
        briefer logs -i article.txt -v
        briefer logs -m gpt-4o-mini -n 20
    """
    import datetime
    import json

    from ..logs import read_logs
    from ..sanitize import message_line
    from ..settings import Settings

    settings = Settings.load(cache_dir=cache_dir)
    chosen = command_line_inputs((source,))[0] if source else None
    entries = read_logs(settings, limit=count, model=model, source=chosen)
    if not entries:
        click.echo(
            "no requests in the cache" + (" for that input or model" if source or model else "")
        )
        return
    for entry in entries:
        created = datetime.datetime.fromtimestamp(entry.created, datetime.UTC)
        response = entry.response
        click.echo(f"## {created:%Y-%m-%d %H:%M:%S} UTC  {entry.key[:12]}")
        if verbose:
            seconds = f"{response.seconds:.1f} s" if response.seconds is not None else "time n/a"
            click.echo(
                f"model: {message_line(entry.model)} · tokens: {response.prompt_tokens} prompt,"
                f" {response.completion_tokens} completion · {seconds}"
                + (f" · {message_line(response.endpoint)}" if response.endpoint else "")
            )
        click.echo("\n### request\n")
        if response.request:
            for message in json.loads(response.request):
                click.echo(
                    f"[{strip(str(message.get('role')))}]\n{strip(message.get('content') or '')}\n"
                )
        else:
            click.echo("(not stored: cached before briefer kept requests)\n")
        click.echo("### reply\n")
        click.echo(strip(response.content) + "\n")


def strip(text: str) -> str:
    """Model and article text without terminal control sequences."""
    from ..sanitize import strip_controls

    return strip_controls(text)
