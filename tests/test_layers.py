"""The layers of docs/architecture.md hold: no package imports one drawn above it.

Why: ``tests/test_structure.py`` fails on import cycles, but an upward import that closes no
cycle (``applications`` reaching into ``runtime`` for a helper) passes it, and then the layer
below can no longer be used or tested without the one above, which is what the drawing
promises (Interface 3 "usable and testable without an engine"). Imports are read as
``test_structure`` reads them: every import counts, late and type-only ones too.
"""

from __future__ import annotations

import ast

from tests.test_structure import PACKAGE, SRC, Tree

#: the tiers of docs/architecture.md's drawing, lowest first; a package may import its own
#: tier's packages only where :data:`SAME_TIER` says so
TIERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "json_text", "one_line", "value_copies"}),
    frozenset({"expressions"}),
    frozenset({"definition"}),
    frozenset({"applications"}),
    frozenset({"runtime"}),
    frozenset({"worklist", "audit", "wapi"}),
    frozenset({"simulation"}),
    frozenset({"<root>"}),
    frozenset({"cli"}),
)

#: imports within one tier that the drawing allows: the audit's brief status reads the
#: worklist's notes, and a WAPI session lists a user's worklist
SAME_TIER = frozenset({("audit", "worklist"), ("wapi", "worklist")})

#: the one documented exception: ``errors`` names definition's Diagnostic for type checkers
#: only (``XpdlLoadError.diagnostics``), under ``if TYPE_CHECKING:``
TYPE_ONLY = frozenset({("errors", "definition")})


def _type_checking_lines(tree: Tree, module: str) -> set[int]:
    """The lines of ``module`` inside an ``if TYPE_CHECKING:`` block."""
    lines: set[int] = set()
    for node in ast.walk(tree.parsed(module)):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "<root>"


def _tier(package: str) -> int:
    for rank, tier in enumerate(TIERS):
        if package in tier:
            return rank
    raise AssertionError(f"package {package!r} is in no tier of TIERS: add it where it belongs")


def test_no_package_imports_a_layer_above_it() -> None:
    tree = Tree(SRC, PACKAGE)
    upward: list[str] = []
    for module in tree.files:
        for imp in tree.imports(module):
            source, target = _package(imp.source), _package(imp.target)
            if source == target:
                continue
            if (source, target) in TYPE_ONLY and imp.line in _type_checking_lines(tree, module):
                continue
            below = _tier(target) < _tier(source)
            if below or (source, target) in SAME_TIER:
                continue
            upward.append(f"{imp.source} (line {imp.line}) imports {imp.target}")
    assert not upward, "imports against docs/architecture.md's layers:\n" + "\n".join(upward)


def test_every_package_has_a_tier() -> None:
    tree = Tree(SRC, PACKAGE)
    for module in tree.files:
        _tier(_package(module))
