"""The `briefer` command group: error mapping, shared options, settings from options."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ..events import Event
    from .progress_line import ProgressLine

STRUCTURED_MODES = ("auto", "json_schema", "tool", "json_object", "prompt")


# The shell's convention for a run stopped by Ctrl-C (128 + SIGINT), distinct from exit 1
# ("some inputs failed").
EXIT_INTERRUPTED = 130


class BrieferGroup(click.Group):
    """Turns expected failures into one line on stderr and an exit code; --debug re-raises."""

    # Subgroups (prompts, batch, cache, keys) list their commands the same way.
    group_class = type

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            args = debug_first(args)
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Click cuts each description to fit one line, often mid-sentence; show the whole
        # first sentence and let the formatter wrap it.
        rows = [
            (name, command.get_short_help_str(limit=1_000))
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import BrieferError, ConfigError, CostLimitError

        try:
            return super().invoke(ctx)
        except BrieferError as exc:
            if ctx.meta.get("briefer.debug"):
                raise
            error_line(str(exc))
            usage = isinstance(exc, ConfigError | CostLimitError)
            ctx.exit(2 if usage else 1)
        except KeyboardInterrupt:
            if ctx.meta.get("briefer.debug"):
                raise
            if ctx.meta.get("briefer.offline"):
                # The offline engine caches nothing: a rerun does the work again.
                message = "\nInterrupted. Nothing was written for the unfinished inputs."
            else:
                message = (
                    "\nInterrupted. Rerun the same command to resume: the replies already"
                    " received are in the cache and are not asked for again."
                )
            click.echo(message, err=True)
            ctx.exit(EXIT_INTERRUPTED)


def debug_first(args: list[str]) -> list[str]:
    """The arguments with every --debug (before a `--`) moved to the front, so that
    `briefer summarize x.txt --debug` works like `briefer --debug summarize x.txt`."""
    end = args.index("--") if "--" in args else len(args)
    found = [arg for arg in args[:end] if arg == "--debug"]
    if not found:
        return args
    return ["--debug", *[arg for arg in args[:end] if arg != "--debug"], *args[end:]]


@click.group(cls=BrieferGroup)
@click.version_option(package_name="briefer")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn news and policy articles into structured briefings: the actors, what each wants
    and on what conditions (with verbatim quotes checked against the text), and the open
    issues.

    With OPENAI_API_KEY set, or --base-url pointing at an OpenAI-compatible server (Ollama,
    vLLM, llama.cpp), briefings come from the model; without either, from the offline
    extractive engine.

    \b
        briefer summarize examples/articles/azerbaijan-nato.txt
        briefer summarize examples/articles/*.txt -f json --output-dir out/
        briefer digest examples/digest --date 2026-11-26 -f html -o digest.html
    """
    ctx.meta["briefer.debug"] = debug
    if debug:
        import logging

        # The library logs the traceback of every unexpected per-input failure here.
        logging.basicConfig(format="%(name)s: %(message)s")
        logging.getLogger("briefer").setLevel(logging.DEBUG)


def model_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--engine",
            type=click.Choice(["auto", "llm", "extractive"]),
            default=None,
            help="auto (default): the LLM when a key or base URL is set, else extractive.",
        ),
        click.option(
            "--provider",
            default=None,
            metavar="openai|langchain:MODULE.CLASS",
            help="Where briefings come from: an OpenAI-compatible endpoint (default), or a"
            " LangChain chat model class built with the config file's [provider_options]"
            " [env BRIEFER_PROVIDER].",
        ),
        click.option(
            "-m",
            "--model",
            default=None,
            help="Model name [env BRIEFER_MODEL; default gpt-4o-mini].",
        ),
        click.option(
            "--base-url",
            default=None,
            help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 "
            "[env OPENAI_BASE_URL].",
        ),
        click.option("--temperature", type=float, default=None, help="Sampling temperature [0]."),
        click.option(
            "--max-output-tokens",
            type=int,
            default=None,
            help="Cap on tokens the model writes per call [what the model allows and the"
            " article needs].",
        ),
        click.option(
            "--evidence",
            type=click.Choice(["ref", "quote"]),
            default=None,
            help="ref (default): the model cites sentence ids and briefer copies the quotes;"
            " quote: the model copies the quotes [env BRIEFER_EVIDENCE].",
        ),
        click.option(
            "--context-window",
            type=int,
            default=None,
            help="Model's context window in tokens, for models briefer does not know.",
        ),
        click.option("--concurrency", type=int, default=None, help="Calls in flight at once [8]."),
        click.option(
            "--processes",
            type=int,
            default=None,
            help="Worker processes the offline engine briefs many articles in [one per CPU].",
        ),
        click.option(
            "--rpm",
            type=int,
            default=None,
            help="Requests per minute to stay under [learned from x-ratelimit headers].",
        ),
        click.option(
            "--tpm",
            type=int,
            default=None,
            help="Tokens per minute to stay under (prompt + max output per call) [learned].",
        ),
        click.option(
            "--structured",
            type=click.Choice(STRUCTURED_MODES),
            default=None,
            help="Force a structured-output mode instead of trying them in turn.",
        ),
        click.option(
            "--prompts-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Use edited copies of the prompt templates.",
        ),
        click.option(
            "--no-cache", "no_cache", is_flag=True, help="Neither read nor write the cache."
        ),
        click.option("--refresh", is_flag=True, help="Ignore cached replies; store the new ones."),
        click.option(
            "--batch",
            is_flag=True,
            default=None,
            help="Send the map calls through the OpenAI Batch API: half price, done within"
            " 24 h; rerun the same command to resume while jobs are in flight.",
        ),
        click.option(
            "--allow-private-urls",
            is_flag=True,
            default=None,
            help="Also fetch from loopback, private-range and .internal addresses (an intranet"
            " feed); refused by default [env BRIEFER_ALLOW_PRIVATE_URLS].",
        ),
        click.option(
            "--follow-symlinks",
            is_flag=True,
            default=None,
            help="Read files that links inside an input folder point to outside it.",
        ),
        click.option(
            "--max-cost",
            type=float,
            default=None,
            help=(
                "Spend at most this (USD): stop before sending if the plan could cost more,"
                " and send no call that could take the run past it."
            ),
        ),
        click.option(
            "--price",
            metavar="IN/OUT",
            default=None,
            help="USD per million input/output tokens, for models briefer has no price for"
            " (e.g. 0.15/0.60) [unpriced models on this machine: 0/0].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


# Options only a model uses, as the command line names them.
MODEL_ONLY_OPTIONS = {
    "batch": "--batch",
    "evidence": "--evidence",
    "structured": "--structured",
    "temperature": "--temperature",
    "max_output_tokens": "--max-output-tokens",
    "context_window": "--context-window",
    "rpm": "--rpm",
    "tpm": "--tpm",
    "prompts_dir": "--prompts-dir",
    "price": "--price",
    "max_cost": "--max-cost",
}


def settings_from(options: dict[str, Any]) -> Any:
    """Settings from a command's options; on the offline engine, says on stderr which of the
    options given only a model would use."""
    from ..errors import ConfigError
    from ..runtime import resolve_engine
    from ..settings import Settings

    no_cache = options.pop("no_cache", False)
    settings = Settings.load(use_cache=False if no_cache else None, **options)
    try:
        offline = resolve_engine(settings) == "extractive"
    except ConfigError:
        offline = False  # a model asked for without a key: the command says so itself
    if offline:
        click.get_current_context().meta["briefer.offline"] = True
        ignored = [
            flag for name, flag in MODEL_ONLY_OPTIONS.items() if options.get(name) is not None
        ]
        if ignored:
            stderr_line(
                f"briefer: {', '.join(ignored)} appl{'ies' if len(ignored) == 1 else 'y'} to a"
                " model; the offline extractive engine ignores "
                + ("it." if len(ignored) == 1 else "them.")
            )
    return settings


def command_line_inputs(inputs: tuple[str, ...]) -> list[str | Path]:
    """The command's arguments as inputs: '-', URLs, and paths, never article text (a file
    name with a newline in it is still a file name)."""
    from ..readers.sources import is_url

    return [source if source == "-" or is_url(source) else Path(source) for source in inputs]


def error_line(message: str) -> None:
    """Print `Error: message` on stderr: one line, no terminal control sequences, no secrets
    (file names, feed text and server replies all end up in messages)."""
    from ..sanitize import message_line

    click.echo(f"Error: {message_line(message)}", err=True)


def stderr_line(message: str) -> None:
    """Print a notice or progress line on stderr, made safe like `error_line`."""
    from ..sanitize import message_line

    click.echo(message_line(message), err=True)


def engine_notice(settings: Any) -> str | None:
    """The line saying that briefings come from the offline engine, when the user did not ask
    for it by name; None otherwise."""
    from ..runtime import resolve_engine

    if settings.engine == "auto" and resolve_engine(settings) == "extractive":
        return "briefer: no OPENAI_API_KEY or --base-url set; using the offline extractive engine."
    return None


def listener(
    progress: ProgressLine, notice: Once, quiet: bool, *, others: bool
) -> Callable[[Event], None]:
    """The CLI's one listener to a run's events: progress goes to the progress line and
    warnings to stderr as they arise, known by their kind: the offline engine on its rules
    once (unless -q), a model's thin reply with its input (always: an exit 0 would otherwise
    pass an empty briefing off as a real one), and with `others` every other kind as a
    "Warning:" line (even with -q: what a cron job's mail should show). The digest command
    prints the others after its run instead, from the digest's own list."""
    from ..events import Warned

    def hear(event: Event) -> None:
        if not isinstance(event, Warned):
            progress.event(event)
        elif event.kind == "offline-rules":
            if not quiet:
                progress.clear()
                notice()
                stderr_line(f"briefer: {event.message}")
        elif event.kind == "thin-reply":
            progress.clear()
            stderr_line(f"{event.source}: {event.message}")
        elif others:
            progress.clear()
            stderr_line(f"Warning: {event.message}")

    return hear


class Once:
    """Prints a notice on stderr the first time it is called, then never again: the engine
    notice waits until an article was read, so it never comes before "no such file"."""

    def __init__(self, message: str | None) -> None:
        self.message = message

    def __call__(self) -> None:
        if self.message is not None:
            stderr_line(self.message)
            self.message = None


def main() -> None:
    """Entry point of the `briefer` command."""
    cli(prog_name="briefer")
