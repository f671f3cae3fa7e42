"""The README and --help stay honest."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import click
from click.testing import CliRunner

import briefer
from briefer.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text()


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


def test_every_command_has_help_and_is_in_the_readme() -> None:
    for name, command in _commands(cli):
        assert command.help, name
        result = CliRunner().invoke(cli, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert f"briefer {name}" in README, f"README does not mention `briefer {name}`"


def test_readme_output_is_what_the_first_command_prints() -> None:
    block = re.search(r"```markdown\n(.*?)\.\.\.\n```", README, re.S)
    assert block is not None
    result = CliRunner().invoke(cli, ["summarize", "examples/articles/azerbaijan-nato.txt"])
    assert result.exit_code == 0
    assert result.stdout.startswith(block.group(1))


def test_readme_names_the_two_setup_commands() -> None:
    assert "pip install '.[nlp]' && .venv/bin/briefer summarize examples/" in README
    assert "pip install '.[dev,nlp]' && .venv/bin/python -m pytest" in README


def test_public_api_is_exactly_all() -> None:
    public = {name for name in dir(briefer) if not name.startswith("_")} - {"annotations"}
    # Submodules become attributes of the package once imported; they are not the API.
    modules = {module.name for module in pkgutil.iter_modules(briefer.__path__)}
    assert public - modules == set(briefer.__all__)


def test_help_does_not_import_heavy_packages() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from briefer.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('openai', 'langchain_core', 'tiktoken') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
