"""The import graph: stages import only the stages below them, the text layer nothing above
it, and no imports form a cycle (not even imports deferred into a function)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "briefer"
# An article passes through the stages in this order; each may import those before it.
STAGES = ["text", "readers", "engines", "briefing", "digests", "render", "cli"]
# Top-level modules that wire the stages together (or are the package's face).
WIRING = {"__init__", "__main__", "api", "runtime", "logs", "state", "runnable"}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module_level_only: bool) -> set[str]:
    """The briefer modules `path` imports (those that exist as files or packages); imports
    only for type checkers (under `if TYPE_CHECKING:`) are no dependency."""
    tree = ast.parse(path.read_text())
    here = _module(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    nodes = [node for node in nodes if id(node) not in typing_only]
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            names = [f"{target}.{alias.name}" for alias in node.names]
            for name in [target, *names]:
                if _exists(name):
                    found.add(name)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if _exists(alias.name))
    return {name for name in found if name.startswith("briefer")} - {_module(path)}


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES):
        return STAGES.index(parts[1]) if parts[1] in STAGES else None
    return None


def _files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_stage_imports_a_later_one() -> None:
    upward = []
    for path in _files():
        stage = _stage(_module(path))
        for target in _imports(path, module_level_only=False):
            other = _stage(target)
            if stage is not None and other is not None and other > stage:
                upward.append(f"{_module(path)} -> {target}")
    assert upward == []


def test_foundation_modules_import_no_stage_and_text_imports_only_the_foundation() -> None:
    wrong = []
    for path in _files():
        module = _module(path)
        top_level = module.count(".") == 1 and _stage(module) is None
        if top_level and module.split(".")[1] not in WIRING:
            wrong += [f"{module} -> {t}" for t in _imports(path, False) if _stage(t) is not None]
        if _stage(module) == 0:
            wrong += [
                f"{module} -> {t}"
                for t in _imports(path, False)
                if _stage(t) not in (None, 0) or t.split(".")[1] not in ("schema", "text")
            ]
    assert wrong == []


def test_imports_form_no_cycle() -> None:
    # Deferring an import into a function hides a cycle from Python, not from the next reader.
    graph = {_module(path): _imports(path, module_level_only=False) for path in _files()}
    cycles = []
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            # A package's __init__ importing its own modules is how packages are built.
            if target.startswith(module + "."):
                continue
            if state.get(target) == "open":
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_module_asks_which_provider_it_has_outside_the_registry() -> None:
    """Providers declare what they can do (`Provider.batch`, `remember_shape`, `modes`); code
    above the seam asks them, never `isinstance` on a provider class."""
    providers = {"OpenAICompatible", "LangChainChat"}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "providers.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "isinstance"
                and any(isinstance(n, ast.Name) and n.id in providers for n in ast.walk(node))
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []


def test_only_the_openai_provider_knows_its_batch_api_s_formats() -> None:
    """The Batch API is a capability of the OpenAI-compatible provider: its request and result
    lines (each keyed by a custom_id) are written and read there, nowhere above."""
    found = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "openai_compat.py" and '"custom_id"' in path.read_text()
    ]
    assert found == []
