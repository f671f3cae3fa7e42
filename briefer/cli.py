"""The command line: parse options, call the library, print, map errors to exit codes."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

FORMATS = ("md", "json", "jsonl", "text")
DIGEST_FORMATS = ("md", "html", "json")
EXTENSIONS = {"md": "md", "json": "json", "jsonl": "jsonl", "text": "txt"}
STRUCTURED_MODES = ("auto", "json_schema", "tool", "json_object", "prompt")


class BrieferGroup(click.Group):
    """Turns expected failures into one line on stderr and an exit code; --debug re-raises."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import BrieferError, BudgetError, ConfigError

        try:
            return super().invoke(ctx)
        except BrieferError as exc:
            if ctx.meta.get("briefer.debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            usage = isinstance(exc, ConfigError | BudgetError)
            ctx.exit(2 if usage else 1)


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
    """
    ctx.meta["briefer.debug"] = debug


def _model_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--engine",
            type=click.Choice(["auto", "llm", "extractive"]),
            default=None,
            help="auto (default): the LLM when a key or base URL is set, else extractive.",
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
            help="Cap on tokens the model writes per call [4096].",
        ),
        click.option(
            "--context-window",
            type=int,
            default=None,
            help="Model's context window in tokens, for models briefer does not know.",
        ),
        click.option("--concurrency", type=int, default=None, help="Calls in flight at once [8]."),
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
            "--max-cost",
            type=float,
            default=None,
            help="Stop before sending if the plan could cost more than this (USD).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _settings(options: dict[str, Any]) -> Any:
    from .settings import Settings

    no_cache = options.pop("no_cache", False)
    return Settings.load(use_cache=False if no_cache else None, **options)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the briefing to FILE (one input only).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write DIR/<input name>.<format> for each input.",
)
@click.option(
    "--dry-run", is_flag=True, help="Show the planned calls, tokens and cost; send nothing."
)
@click.option("-q", "--quiet", is_flag=True, help="No notices or progress on stderr.")
@_model_options
def summarize(
    inputs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    output_dir: Path | None,
    dry_run: bool,
    quiet: bool,
    **options: Any,
) -> None:
    """Brief one or more articles: text, Markdown or HTML files, URLs, or - for stdin.

    Prints a Markdown briefing by default. Inputs that fail are reported on stderr while the
    others are still written; the exit code is then 1.

    \b
        briefer summarize article.txt
        briefer summarize a.txt b.html c.md -f json --output-dir out/
        curl -s https://example.org/story | briefer summarize - -f text
        briefer summarize long.txt --base-url http://localhost:11434/v1 -m llama3.1
        briefer summarize *.txt --dry-run
    """
    from .errors import ConfigError

    if output and len(inputs) > 1:
        raise ConfigError("-o/--output takes one input; use --output-dir for several")
    if output and output_dir:
        raise ConfigError("use either -o/--output or --output-dir, not both")
    settings = _settings(options)
    if dry_run:
        _print_plan(inputs, settings)
        return
    if not quiet:
        _engine_notice(settings)
    failures = asyncio.run(_summarize(inputs, settings, fmt, output, output_dir, quiet))
    if failures:
        sys.exit(1)


def _engine_notice(settings: Any) -> None:
    from .pipeline import resolve_engine

    if settings.engine == "auto" and resolve_engine(settings) == "extractive":
        click.echo(
            "briefer: no OPENAI_API_KEY or --base-url set; using the offline extractive engine.",
            err=True,
        )


async def _summarize(
    inputs: tuple[str, ...],
    settings: Any,
    fmt: str,
    output: Path | None,
    output_dir: Path | None,
    quiet: bool,
) -> int:
    from .api import summarize_each
    from .progress import ProgressLine
    from .render import render

    if output_dir:
        output_dir.mkdir(parents=True, exist_ok=True)
    names = _output_names(inputs)
    pending: dict[int, str] = {}
    next_to_print = failures = done = 0
    show_progress = len(inputs) > 1 and not quiet and sys.stderr.isatty()
    batch_status = ProgressLine(sys.stderr, enabled=not quiet)
    async for index, outcome in summarize_each(list(inputs), settings, batch_status.note):
        batch_status.close()  # the batch round, if any, is over once outcomes arrive
        done += 1
        if outcome.error is not None or outcome.briefing is None:
            failures += 1
            click.echo(f"Error: {outcome.error}", err=True)
            rendered = ""
        else:
            rendered = render(outcome.briefing, fmt)
            if output_dir:
                _write_atomically(output_dir / f"{names[index]}.{EXTENSIONS[fmt]}", rendered)
            elif output:
                _write_atomically(output, rendered)
        if show_progress:
            click.echo(f"[{done}/{len(inputs)}] {outcome.source}", err=True)
        if not output and not output_dir:
            # Print in input order however the calls finish.
            pending[index] = rendered
            while next_to_print in pending:
                text = pending.pop(next_to_print)
                if text:
                    click.echo(text, nl=False)
                next_to_print += 1
    return failures


def _output_names(inputs: tuple[str, ...]) -> list[str]:
    """File stems for --output-dir: the input's stem, made unique."""
    names: list[str] = []
    for source in inputs:
        if source == "-":
            stem = "stdin"
        elif source.startswith(("http://", "https://")):
            stem = re.sub(r"[^\w.-]+", "-", source.split("://", 1)[1].rstrip("/"))[-80:]
        else:
            stem = Path(source).stem or "article"
        candidate, n = stem, 2
        while candidate in names:
            candidate, n = f"{stem}-{n}", n + 1
        names.append(candidate)
    return names


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _print_plan(inputs: tuple[str, ...], settings: Any) -> None:
    from .api import Outcome, plan

    rows = plan(list(inputs), settings=settings)
    failed = 0
    for row in rows:
        if isinstance(row, Outcome):
            failed += 1
            click.echo(f"Error: {row.error}", err=True)
    _print_plan_table([row for row in rows if not isinstance(row, Outcome)])
    if failed:
        sys.exit(1)


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:.4f}"


def _add(total: float | None, value: float | None) -> float | None:
    return None if total is None or value is None else total + value


def _print_plan_table(
    rows: list[Any], extra_calls: int = 0, extra_tokens: int = 0, extra_cost: float | None = 0.0
) -> None:
    """Per input and in total: calls, prompt tokens and worst-case cost, sent synchronously
    and with the map calls in Batch API jobs. `extra_*` is one more synchronous call."""
    click.echo(
        f"{'input':38} {'engine':10} {'tokens':>7} {'chunks':>6} {'calls':>5} {'cached':>6} "
        f"{'prompt tok':>10} {'max cost':>10} {'batch cost':>10}"
    )
    calls, tokens, batched = extra_calls, extra_tokens, 0
    sync_cost: float | None = extra_cost
    batch_cost: float | None = extra_cost
    for row in rows:
        click.echo(
            f"{row.source[-38:]:38} {row.engine:10} {row.article_tokens:>7} {row.chunks:>6} "
            f"{row.calls:>5} {row.cached_calls:>6} {row.prompt_tokens:>10} "
            f"{_money(row.max_cost_usd):>10} {_money(row.max_cost_batch_usd):>10}"
        )
        calls += row.calls - row.cached_calls
        batched += row.chunks - row.cached_calls if row.engine == "llm" else 0
        tokens += row.prompt_tokens
        sync_cost = _add(sync_cost, row.max_cost_usd)
        batch_cost = _add(batch_cost, row.max_cost_batch_usd)
    click.echo(
        f"sync:  {calls} call(s) to send, {tokens} prompt tokens, cost at most {_money(sync_cost)}"
    )
    click.echo(
        f"batch: {batched} map call(s) in Batch API jobs + {calls - batched} sent directly,"
        f" cost at most {_money(batch_cost)} (nothing was sent)"
    )


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Only articles published that day.")
@click.option(
    "--since", metavar="DATETIME", help="Only articles published since, e.g. 2026-11-26T18:00."
)
@click.option("--title", default=None, help="Title of the digest [Digest — DATE].")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(DIGEST_FORMATS),
    default="md",
    show_default=True,
    help="Output format: Markdown, a standalone HTML page, or JSON (the digest contract).",
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
@_model_options
def digest(
    inputs: tuple[str, ...],
    day: str | None,
    since: str | None,
    title: str | None,
    fmt: str,
    output: Path | None,
    dry_run: bool,
    quiet: bool,
    **options: Any,
) -> None:
    """Digest many articles into one briefing of the day: top lines, stories, an actor index
    with contradictions flagged, and the open issues, with every source cited.

    INPUTS are files, folders (read recursively), globs, RSS/Atom feed files or feed URLs,
    URL lists (a .urls file, one URL a line) and article URLs. Near-duplicates are briefed once;
    articles outside --date/--since are skipped. Inputs that fail are listed in the digest and
    the exit code is 1. A rerun after an interruption reuses every finished call.

    \b
        briefer digest news/ --date 2026-11-26 -f html -o digest.html
        briefer digest feeds/world.xml 'inbox/**/*.html' -f json -o digest.json
        briefer digest today.urls --since 2026-11-26T18:00 --concurrency 16
    """
    from .api import digest as build
    from .progress import ProgressLine
    from .render import render_digest
    from .render.digest_markdown import overview

    settings = _settings(options)
    if dry_run:
        _print_digest_plan(inputs, settings, day, since)
        return
    if not quiet:
        _engine_notice(settings)
    progress = ProgressLine(sys.stderr, enabled=not quiet)
    try:
        result = build(
            list(inputs),
            date=day,
            since=since,
            title=title,
            on_progress=progress,
            on_batch=progress.note,
            settings=settings,
        )
    finally:
        progress.close()
    rendered = render_digest(result, fmt)
    if output:
        _write_atomically(output, rendered)
    else:
        click.echo(rendered, nl=False)
    for failure in result.failures:
        click.echo(f"Error: {failure.source}: {failure.reason}", err=True)
    if not quiet:
        click.echo(f"digest: {overview(result)}" + (f" → {output}" if output else ""), err=True)
    if result.failures:
        sys.exit(1)


def _print_digest_plan(
    inputs: tuple[str, ...], settings: Any, day: str | None, since: str | None
) -> None:
    from .api import plan_digest

    planned = plan_digest(list(inputs), date=day, since=since, settings=settings)
    for failure in planned.failures:
        click.echo(f"Error: {failure.source}: {failure.reason}", err=True)
    click.echo(
        f"{len(planned.plans)} distinct article(s); {planned.duplicates} duplicate(s) folded in;"
        f" {planned.outside_window} outside the date window"
    )
    synthesis = 1 if planned.synthesis_prompt_tokens else 0
    _print_plan_table(
        planned.plans, synthesis, planned.synthesis_prompt_tokens, planned.synthesis_cost_usd
    )
    if planned.failures:
        sys.exit(1)


@cli.command()
@click.option("--digest", "of_digest", is_flag=True, help="The digest contract instead.")
def schema(of_digest: bool) -> None:
    """Print the JSON Schema of the briefing contract (schema_version 1), or of the digest."""
    from .schema import contract_json_schema, digest_json_schema

    schema = digest_json_schema() if of_digest else contract_json_schema()
    click.echo(json.dumps(schema, indent=2))


@cli.group()
def prompts() -> None:
    """List and show the prompt templates (edit copies and pass --prompts-dir)."""


@prompts.command("list")
@click.option("--prompts-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def prompts_list(prompts_dir: Path | None) -> None:
    """List the templates with their variables and the set's version."""
    from .prompts import load

    prompt_set = load(prompts_dir)
    click.echo(f"# {prompt_set.directory} (version {prompt_set.version})")
    for name, template in prompt_set.templates.items():
        click.echo(f"{name:22} variables: {', '.join(template.variables) or '-'}")


@prompts.command("show")
@click.argument("name")
@click.option("--prompts-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def prompts_show(name: str, prompts_dir: Path | None) -> None:
    """Print one template, e.g. `briefer prompts show map.system`."""
    from .prompts import load

    click.echo(load(prompts_dir)[name].path.read_text(encoding="utf-8"), nl=False)


@cli.group()
def batch() -> None:
    """Follow or cancel the Batch API jobs that --batch submitted.

    \b
        briefer digest news/ --batch -o digest.md    # submits, waits, resumes on rerun
        briefer batch list
        briefer batch status batch_abc123
        briefer batch cancel batch_abc123
    """


@batch.command("list")
def batch_list() -> None:
    """List the jobs recorded beside the cache, newest first."""
    import datetime

    from .batch import jobs
    from .settings import Settings

    records = jobs(Settings.load())
    if not records:
        click.echo("no Batch API jobs recorded")
        return
    click.echo(f"{'job':28} {'status':12} {'requests':>8}  {'created (UTC)':20} results")
    for record in records:
        created = datetime.datetime.fromtimestamp(record.created, datetime.UTC)
        click.echo(
            f"{record.id:28} {record.status:12} {record.requests:>8}  "
            f"{created:%Y-%m-%d %H:%M:%S}  {'in cache' if record.imported else 'pending'}"
        )


@batch.command("status")
@click.argument("job")
@_model_options
def batch_status(job: str, **options: Any) -> None:
    """Ask the provider how a job is doing."""
    _print_job(job, options, cancel=False)


@batch.command("cancel")
@click.argument("job")
@_model_options
def batch_cancel(job: str, **options: Any) -> None:
    """Cancel a job; finished items are still used by the next run, the rest sent directly."""
    _print_job(job, options, cancel=True)


def _print_job(job: str, options: dict[str, Any], cancel: bool) -> None:
    from .batch import describe, job_state

    state = asyncio.run(job_state(_settings(options), job, cancel=cancel))
    click.echo(f"{state.id}: {describe([state]).removeprefix('batch: 1 job(s), ')}")


@cli.group()
def cache() -> None:
    """Inspect or empty the response cache."""


@cache.command("info")
def cache_info() -> None:
    """Show the cache's path, entries, size and hits."""
    from .cache import Cache
    from .settings import Settings

    settings = Settings.load()
    if not settings.cache_path.exists():
        click.echo(f"path: {settings.cache_path}\nentries: 0 (no cache yet)")
        return
    info = Cache(settings.cache_path).info()
    click.echo(
        f"path: {info.path}\nentries: {info.entries}\nsize: {info.size_bytes / 1024:.1f} KiB\n"
        f"hits: {info.hits}\ntokens stored: {info.prompt_tokens} prompt, "
        f"{info.completion_tokens} completion"
    )


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached response; set aside a damaged or foreign cache file."""
    from .cache import Cache, set_aside
    from .errors import CacheError
    from .settings import Settings

    path = Settings.load().cache_path
    if not path.exists():
        click.echo("cache is already empty")
        return
    try:
        cache = Cache(path)
    except CacheError:
        click.echo(f"{path} was not a usable cache; moved it to {set_aside(path)}")
        return
    removed = cache.clear()
    click.echo(f"removed {removed} cached response(s) from {path}")


def main() -> None:
    """Entry point of the `briefer` command."""
    cli(prog_name="briefer")
