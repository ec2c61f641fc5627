"""The layering of the Python package, read from the source with ``ast``.

- No import cycle among staffcast's modules, counting every import: at module
  level and inside functions (an import hidden in a function is still an edge).
  Only imports under ``if TYPE_CHECKING:`` are left out: they never run.
- No library module imports the command line (``staffcast.cli``); only
  ``staffcast.__main__`` (``python -m staffcast``) does.
- staffcast's own modules are imported at module level; an import inside a
  function is for an optional or heavy third-party package only (the list below).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "python" / "staffcast"

# Third-party packages a function may import on first use, and why.
LAZY_ALLOWED = {
    "matplotlib": "plots and the report's figures; importing it costs more than the rest of staffcast",
    "dask": "the optional distributed extra (sc.simulate(client=...), sc.compare(client=...))",
    "tqdm": "the progress bar of long simulations (tqdm.auto probes for Jupyter widgets)",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
# The compiled extension (staffcast._core), known by its stub: a leaf, it imports no staffcast module.
COMPILED = {_module_name(path) for path in PACKAGE.rglob("*.pyi") if not path.with_suffix(".py").exists()}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:``."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skipped.update(id(n) for n in ast.walk(child))
    return skipped


def _imports(name: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import in module `name`; staffcast's
    modules by full name, others by the name as written."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    functions = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                 for n in ast.walk(f) if n is not f}
    package = name if _is_package(name) else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped or not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        nested = id(node) in functions
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, nested) for alias in node.names]
            continue
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        for alias in node.names:  # `from . import x` imports the module x when there is one
            sub = f"{target}.{alias.name}"
            found.append((sub if sub in MODULES or sub in COMPILED else target, node.lineno, nested))
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name in MODULES:
        for target, _, _ in _imports(name):
            if target in MODULES and target != name:
                graph[name].add(target)
            elif target == name:
                graph[name].add(name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a self-import), Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_package_is_found():
    assert {"staffcast", "staffcast.register", "staffcast.cli", "staffcast.cli._common"} <= set(MODULES)
    assert COMPILED == {"staffcast._core"}


def test_no_import_cycle():
    cycles = _cycles(_graph())
    assert cycles == [], "import cycles among staffcast's modules:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_check_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"a"}}) == [["a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


LIBRARY = [n for n in MODULES if n != "staffcast.__main__" and not n.startswith("staffcast.cli")]


@pytest.mark.parametrize("name", LIBRARY)
def test_library_does_not_import_the_cli(name):
    offending = [(target, line) for target, line, _ in _imports(name)
                 if target == "staffcast.cli" or target.startswith("staffcast.cli.")]
    assert offending == [], f"{name} imports the command line: {offending}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_function_level_imports_are_for_optional_heavy_packages_only(name):
    hidden = [(target, line) for target, line, nested in _imports(name) if nested
              and not any(target == lazy or target.startswith(lazy + ".") for lazy in LAZY_ALLOWED)]
    assert hidden == [], f"{name} imports inside functions: {hidden} (import at module level)"
