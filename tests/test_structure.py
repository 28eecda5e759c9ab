"""Structural rules of ``src/wfengine`` (issue 10): imports go one way, modules stay small.

Why: an import cycle is what made the runtime hard to split and to read (engine, navigator and
invocation reaching into each other), and a module over a few hundred lines is where unrelated
things start to share a file. Both creep back one import or one function at a time, so a test
holds them rather than a review.

How imports are read (statically, with :mod:`ast`; nothing is imported):

* every ``import`` and ``from ... import`` anywhere in a module counts: at the top, under
  ``if TYPE_CHECKING:``, and late imports inside functions. A late or type-only import hides
  a cycle from Python at import time, but the two modules still depend on each other, which is
  what the rule is about. ``importlib.import_module("wfengine...")`` with a literal name counts
  too.
* relative imports are resolved against the importing module's package.
* ``import a.b.c`` depends on module ``a.b.c`` only. Python also runs the ``__init__`` of ``a``
  and ``a.b`` first, but counting that would make every module depend on ``wfengine/__init__``,
  which re-exports the public API from all over the tree: every module would be in one cycle.
* ``from p import name``: when ``p.name`` is a module, the dependency is on ``p.name``. When
  ``p`` is a package whose ``__init__`` only re-exports ``name`` (``from p.x import name``), the
  dependency is on the module the name comes from (followed through further re-exports), not
  on ``p/__init__``: an ``__init__`` re-exporting its submodules is normal, and a submodule
  importing a sibling's name through the package is not a cycle in substance. A name the
  ``__init__`` defines itself (or binds in a way not read here) is a dependency on the
  ``__init__``, so a submodule needing its own package's code is a cycle.
* A plain module's re-exports are not followed: importing a name from ``m`` runs ``m``, and
  ``m`` may itself import anything.
"""

from __future__ import annotations

import ast
import importlib.util
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "wfengine"
#: the most lines a module may have (the aim is about 500; this is the hard limit)
MAX_LINES = 600
#: generated, append-only migration scripts: long by nature, never edited after release
EXEMPT_DIRS = (Path("runtime/sql/migrations/versions"),)


# -- reading the tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    """One dependency: ``source`` imports ``target`` at ``line`` of ``source``'s file."""

    source: str
    target: str
    line: int


class Tree:
    """The modules of one top-level package below ``root`` (a ``src`` folder)."""

    def __init__(self, root: Path, package: str) -> None:
        self.root = root
        self.package = package
        self.files: dict[str, Path] = {}
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            self.files[".".join(parts)] = path
        self._trees: dict[str, ast.Module] = {}

    def is_package(self, module: str) -> bool:
        return self.files[module].name == "__init__.py"

    def parsed(self, module: str) -> ast.Module:
        if module not in self._trees:
            path = self.files[module]
            self._trees[module] = ast.parse(path.read_text(encoding="utf-8"), str(path))
        return self._trees[module]

    def known(self, dotted: str) -> str | None:
        """The longest prefix of ``dotted`` that is a module of the tree (None: outside it)."""
        parts = dotted.split(".")
        while parts:
            name = ".".join(parts)
            if name in self.files:
                return name
            parts.pop()
        return None

    def base_of(self, module: str, node: ast.ImportFrom) -> str:
        """The absolute module a ``from`` statement in ``module`` names."""
        if not node.level:
            return node.module or ""
        package = module if self.is_package(module) else module.rpartition(".")[0]
        return importlib.util.resolve_name("." * node.level + (node.module or ""), package)

    def origin(self, base: str, name: str, seen: frozenset[str] = frozenset()) -> str | None:
        """The module ``from base import name`` depends on (see the module notes)."""
        if f"{base}.{name}" in self.files:
            return f"{base}.{name}"
        module = self.known(base)
        if module is None or module != base or not self.is_package(module) or module in seen:
            return module
        source = self._binding(module, name)
        if source is None:
            return module
        source_base, source_name = source
        if source_name is None:
            return self.known(source_base) or module
        found = self.origin(source_base, source_name, seen | {module})
        return found or module

    def _binding(self, package: str, name: str) -> tuple[str, str | None] | None:
        """Where ``package``'s ``__init__`` gets ``name`` from: (module, name there), or
        (module, None) for ``import m as name``; None when it defines the name itself or it
        is not bound by an import at its top level."""
        for node in _top_level(self.parsed(package).body):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        return self.base_of(package, node), alias.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname == name:
                        return alias.name, None
        return None

    def imports(self, module: str) -> Iterator[Import]:
        """Every dependency of ``module`` on a module of the tree (self-imports left out)."""
        for node in ast.walk(self.parsed(module)):
            targets: list[str | None] = []
            if isinstance(node, ast.Import):
                targets = [self.known(alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = self.base_of(module, node)
                targets = [
                    self.known(base) if alias.name == "*" else self.origin(base, alias.name)
                    for alias in node.names
                ]
            elif isinstance(node, ast.Call) and _is_import_module(node):
                argument = node.args[0]
                assert isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                targets = [self.known(argument.value)]
            for target in targets:
                if target is not None and target != module:
                    yield Import(module, target, node.lineno)  # type: ignore[attr-defined]


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements run when a module is imported (into ``if`` and ``try``, not defs)."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _top_level(node.body)
            yield from _top_level(node.orelse)
        elif isinstance(node, ast.Try):
            for part in (node.body, node.orelse, node.finalbody):
                yield from _top_level(part)
            for handler in node.handlers:
                yield from _top_level(handler.body)


def _is_import_module(node: ast.Call) -> bool:
    func = node.func
    named = (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id == "import_module"
    )
    return (
        named
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def import_graph(tree: Tree) -> nx.DiGraph[str]:
    """Modules as nodes, dependencies as edges; each edge keeps the first import behind it."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(tree.files)
    for module in tree.files:
        for imp in tree.imports(module):
            if not graph.has_edge(imp.source, imp.target):
                graph.add_edge(imp.source, imp.target, line=imp.line)
    return graph


def cycles(graph: nx.DiGraph[str]) -> list[list[str]]:
    """One shortest cycle through each group of modules that import each other, as the
    modules in import order (the first repeated at the end); sorted, so reports are stable."""
    found: list[list[str]] = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        sub = graph.subgraph(component)
        best: list[str] | None = None
        for start in sorted(component):
            for succ in sorted(sub.successors(start)):
                path = nx.shortest_path(sub, succ, start)
                if best is None or len(path) + 1 < len(best):
                    best = [start, *path]
        assert best is not None
        found.append(best)
    return sorted(found)


def describe(graph: nx.DiGraph[str], tree: Tree, cycle: list[str]) -> str:
    """A cycle as ``a (a.py:12) -> b (b.py:40) -> a``: each step names the import line."""
    steps = []
    for here, there in itertools.pairwise(cycle):
        path = tree.files[here].relative_to(tree.root)
        steps.append(f"{here} ({path}:{graph.edges[here, there]['line']})")
    return " -> ".join([*steps, cycle[-1]])


def oversized(tree: Tree, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """(file, line count) of every module over ``limit`` lines, exempt folders left out."""
    out: list[tuple[str, int]] = []
    base = tree.root / tree.package
    for path in sorted(set(tree.files.values())):
        relative = path.relative_to(base)
        if any(relative.is_relative_to(exempt) for exempt in EXEMPT_DIRS):
            continue
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            out.append((str(path.relative_to(tree.root)), count))
    return out


# -- the rules ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tree() -> Tree:
    return Tree(SRC, PACKAGE)


def test_no_import_cycle(tree: Tree) -> None:
    graph = import_graph(tree)
    found = cycles(graph)
    report = "\n".join("  " + describe(graph, tree, cycle) for cycle in found)
    assert not found, f"import cycles (module (file:line of the import) -> ...):\n{report}"


def test_no_module_over_the_line_limit(tree: Tree) -> None:
    found = oversized(tree)
    report = "\n".join(f"  {path}: {count} lines" for path, count in found)
    assert not found, f"modules over {MAX_LINES} lines (split them by what they hold):\n{report}"


# -- the reader itself, on a made-up tree (so a rule cannot pass by reading nothing) ------------


def _write(root: Path, files: dict[str, str]) -> Tree:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Tree(root, "pkg")


def test_reader_counts_every_kind_of_import(tmp_path: Path) -> None:
    tree = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import A\n",
            "pkg/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import b\n"
            "A = 1\n",
            "pkg/b.py": "def f():\n    from .sub.c import C\n    return C\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": "import pkg.sub\nimport importlib\nimportlib.import_module('pkg.a')\n",
        },
    )
    graph = import_graph(tree)
    assert sorted(graph.edges) == [
        ("pkg", "pkg.a"),
        ("pkg.a", "pkg.b"),
        ("pkg.b", "pkg.sub.c"),
        ("pkg.sub.c", "pkg.a"),
        ("pkg.sub.c", "pkg.sub"),
    ]
    found = cycles(graph)
    assert found == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]
    assert describe(graph, tree, found[0]) == (
        "pkg.a (pkg/a.py:3) -> pkg.b (pkg/b.py:2) -> pkg.sub.c (pkg/sub/c.py:3) -> pkg.a"
    )


def test_reader_follows_reexports_but_not_own_names(tmp_path: Path) -> None:
    tree = _write(
        tmp_path,
        {
            # the package re-exports X (through a second package) and defines helper itself
            "pkg/__init__.py": "from pkg.inner import X\nfrom pkg.x import helper as _h\n"
            "def helper():\n    return _h\n",
            "pkg/inner/__init__.py": "from .deep import X\n",
            "pkg/inner/deep.py": "X = 1\n",
            "pkg/x.py": "from pkg import X\ndef helper():\n    return X\n",
            "pkg/y.py": "from pkg import helper\n",
        },
    )
    graph = import_graph(tree)
    assert set(graph.successors("pkg.x")) == {"pkg.inner.deep"}  # a re-export: no cycle
    assert set(graph.successors("pkg.y")) == {"pkg"}  # the package's own code
    assert cycles(graph) == []
    assert oversized(tree, limit=3) == [("pkg/__init__.py", 4)]
