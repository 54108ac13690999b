"""The shape of the package: capabilities import one way, and only tui/ knows Textual.

Every `import` statement of every module is read (lazy ones inside functions and TYPE_CHECKING blocks
included), so a new module or capability folder is checked the moment it exists. The layers, lowest
first; a module may import its own capability and any capability of a lower layer, nothing else:

    decks  <-  core  <-  checkers | recordings  <-  scoring  <-  reports  <-  mocks  <-  tui  <-  cli

`decks` is the deck format and its model, `core` the store, scheduler, settings and trust that use
them. Capabilities in one layer (checkers, recordings) are independent of each other. A new
top-level folder must be given its layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS: list[set[str]] = [
    {"decks"},
    {"core"},
    {"checkers", "recordings"},
    {"scoring"},
    {"reports"},
    {"mocks"},
    {"tui"},
    {"root"},  # the command line: cli.py, __main__.py, __init__.py at the repository root
]
RANK = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}
NOT_PACKAGE = {"tests", "benchmarks", "docs", "build", "dist"}
UI_LIBRARIES = {"textual", "textual_plotext"}


def _modules() -> dict[str, Path]:
    """`prepdeck.a.b` -> its file, for every module of the package."""
    found: dict[str, Path] = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0].startswith(".") or rel.parts[0] in NOT_PACKAGE or rel.name in {"dev.py", "setup.py"}:
            continue
        if "__pycache__" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        found[".".join(["prepdeck", *parts])] = path
    return found


def _capability(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or (ROOT / f"{parts[1]}.py").is_file():
        return "root"
    return parts[1]


def _imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for each import in the file, relative ones resolved."""
    is_package = path.name == "__init__.py"
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return found


def _violations() -> list[str]:
    problems: list[str] = []
    for module, path in sorted(_modules().items()):
        own = _capability(module)
        where = path.relative_to(ROOT)
        if own not in RANK:
            problems.append(f"{where}: capability '{own}' has no layer in tests/test_import_contract.py")
            continue
        for line, target in _imports(module, path):
            top = target.split(".")[0]
            if top in UI_LIBRARIES and own not in {"tui"}:
                problems.append(f"{where}:{line}: imports {target}; only tui/ may use Textual")
            if top != "prepdeck" or target == "prepdeck":
                continue
            other = _capability(target)
            if other == own:
                continue
            if other == "tui" and own != "root":
                problems.append(f"{where}:{line}: imports {target}; only the command line may open the app")
            elif other not in RANK:
                problems.append(f"{where}:{line}: imports {target}, which has no layer")
            elif RANK[other] >= RANK[own]:
                problems.append(f"{where}:{line}: {own} imports {target} ({other} is not below {own})")
    return problems


def test_capabilities_import_only_lower_layers_and_only_tui_imports_textual() -> None:
    assert _violations() == []


def test_the_contract_sees_every_capability_folder_and_a_wrong_import(tmp_path: Path) -> None:
    folders = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()} - NOT_PACKAGE
    assert folders <= set(RANK)  # a new capability needs its place in LAYERS
    modules = _modules()
    assert "prepdeck.checkers.spark.judge" in modules and "prepdeck.tui.app" in modules
    # the reader itself: a lazy upward import and a relative one are both seen
    fake = tmp_path / "x.py"
    fake.write_text("def f():\n    from prepdeck.tui.app import PrepdeckApp\nfrom ..decks import model\n")
    assert sorted(_imports("prepdeck.core.x", fake)) == [(2, "prepdeck.tui.app"), (3, "prepdeck.decks")]
