"""The commands around briefing: the contract's schema, prompts, Batch API jobs, the cache."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import click

from .app import cli, model_options, settings_from


@cli.command()
@click.option("--digest", "of_digest", is_flag=True, help="The digest contract instead.")
def schema(of_digest: bool) -> None:
    """Print the JSON Schema of the briefing contract (schema_version 1), or of the digest."""
    from ..schema import contract_json_schema, digest_json_schema

    schema = digest_json_schema() if of_digest else contract_json_schema()
    click.echo(json.dumps(schema, indent=2))


@cli.group()
def prompts() -> None:
    """List, show and export the prompt templates (edit the copies, pass --prompts-dir)."""


@prompts.command("list")
@click.option("--prompts-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def prompts_list(prompts_dir: Path | None) -> None:
    """List the templates with their variables and the set's version."""
    from ..prompts import load

    prompt_set = load(prompts_dir)
    click.echo(f"# {prompt_set.directory} (version {prompt_set.version})")
    for name, template in prompt_set.templates.items():
        click.echo(f"{name:22} variables: {', '.join(template.variables) or '-'}")


@prompts.command("show")
@click.argument("name")
@click.option("--prompts-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def prompts_show(name: str, prompts_dir: Path | None) -> None:
    """Print one template, e.g. `briefer prompts show map.system`."""
    from ..prompts import load

    click.echo(load(prompts_dir)[name].path.read_text(encoding="utf-8"), nl=False)


@prompts.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that are already there.")
def prompts_export(directory: Path, force: bool) -> None:
    """Copy the templates into DIRECTORY for editing; then pass --prompts-dir DIRECTORY.

    \b
        briefer prompts export my-prompts
        briefer summarize article.txt --prompts-dir my-prompts
    """
    from ..errors import ConfigError
    from ..prompts import load

    sources = sorted({template.path for template in load(None).templates.values()})
    targets = [directory / source.name for source in sources]
    existing = [target.name for target in targets if target.exists()]
    if existing and not force:
        raise ConfigError(
            f"{directory} already holds {', '.join(existing)}; pass --force to overwrite"
        )
    directory.mkdir(parents=True, exist_ok=True)
    for source, target in zip(sources, targets, strict=True):
        target.write_bytes(source.read_bytes())
    click.echo(f"copied {len(targets)} template(s) to {directory}", err=True)


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

    from ..briefing.batch import jobs
    from ..settings import Settings

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
@model_options
def batch_status(job: str, **options: Any) -> None:
    """Ask the provider how a job is doing."""
    _print_job(job, options, cancel=False)


@batch.command("cancel")
@click.argument("job")
@model_options
def batch_cancel(job: str, **options: Any) -> None:
    """Cancel a job; finished items are still used by the next run, the rest sent directly."""
    _print_job(job, options, cancel=True)


def _print_job(job: str, options: dict[str, Any], cancel: bool) -> None:
    from ..briefing.batch import describe, job_state

    state = asyncio.run(job_state(settings_from(options), job, cancel=cancel))
    click.echo(f"{state.id}: {describe([state]).removeprefix('batch: 1 job(s), ')}")


@cli.group()
def cache() -> None:
    """Inspect or empty the response cache."""


@cache.command("info")
def cache_info() -> None:
    """Show the cache's path, entries, size and hits."""
    from ..cache import Cache
    from ..settings import Settings

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
@click.option("-y", "--yes", is_flag=True, help="Do not ask first.")
def cache_clear(yes: bool) -> None:
    """Delete every cached response, and with them what `briefer logs` shows; set aside a
    damaged or foreign cache file. Asks first unless --yes.

    \b
        briefer cache clear --yes
    """
    from ..cache import Cache, set_aside
    from ..errors import CacheError
    from ..settings import Settings

    path = Settings.load().cache_path
    if not path.exists():
        click.echo("cache is already empty")
        return
    try:
        cache = Cache(path)
    except CacheError:
        click.echo(f"{path} was not a usable cache; moved it to {set_aside(path)}")
        return
    entries = cache.info().entries
    if not yes:
        click.confirm(
            f"Delete {entries} cached response(s) from {path}? Reruns will pay for them again,"
            " and `briefer logs` will no longer show them",
            abort=True,
        )
    removed = cache.clear()
    click.echo(f"removed {removed} cached response(s) from {path}")
