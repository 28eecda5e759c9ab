"""The CLI imports on the oldest click pyproject.toml allows (``click>=8.1``): click types
``ParamType`` generic only from 8.3.1, and ``click.ParamType[str]`` as a base class made every
``wfengine`` command fail at import on 8.1.8, 8.2.1 and 8.3.0 (``type 'ParamType' is not
subscriptable``). The suite runs on a newer click, so this reads the source: no click class is
subscripted where the code runs, only under ``TYPE_CHECKING``."""

from __future__ import annotations

import ast
from pathlib import Path

import wfengine

SRC = Path(wfengine.__file__).parent


def _runtime_click_subscripts(tree: ast.AST) -> list[int]:
    found: list[int] = []

    def visit(node: ast.AST, typing_only: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, typing_only)
            return
        if isinstance(node, ast.AnnAssign):  # an annotation is never evaluated (PEP 563)
            if node.value is not None:
                visit(node.value, typing_only)
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for child in node.body:  # (annotations left out)
                visit(child, typing_only)
            return
        if (
            not typing_only
            and isinstance(node, ast.Subscript)
            and ast.unparse(node.value).startswith("click.")
        ):
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, typing_only)

    visit(tree, False)
    return found


def test_no_click_class_is_subscripted_at_run_time() -> None:
    offenders = {
        str(path.relative_to(SRC)): lines
        for path in sorted(SRC.rglob("*.py"))
        if (lines := _runtime_click_subscripts(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}
