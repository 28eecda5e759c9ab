"""The README's promises: its Python snippets run and import from ``wfengine`` only, the API
names it documents are importable from ``wfengine``, and CI runs its test command."""

from __future__ import annotations

import ast
import importlib
import re
import warnings

import pytest

import wfengine
from tests.cli.documents import REPO_ROOT

README = REPO_ROOT / "README.md"

#: Python API names the README's prose documents outside the snippets (a host imports each
#: from ``wfengine``)
PROSE_API_NAMES = (
    "Engine",
    "Organisation",
    "OutboxHandlers",
    "OutboxKind",
    "OutboxPolicy",
    "RuntimeLimits",
    "StoreUnavailableError",
    "Worker",
    "XpdlLoadError",
    "callable_agent",
    "email_agent",
    "http_agent",
    "load_organisation",
    "package_to_dot",
    "subprocess_agent",
)


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def _snippet_imports() -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for snippet in _blocks("python"):
        found += [
            node
            for node in ast.walk(ast.parse(snippet))
            if isinstance(node, ast.Import | ast.ImportFrom)
        ]
    return found


def test_python_snippets_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # in order, in one namespace: as a reader pasting them into one session
    snippets = _blocks("python")
    assert snippets
    monkeypatch.chdir(REPO_ROOT)
    namespace = {"__name__": "readme"}
    with warnings.catch_warnings():
        # a deprecated import path in a snippet fails here, not in a user's code later
        warnings.filterwarnings("error", category=DeprecationWarning, module="readme")
        for snippet in snippets:
            exec(compile(snippet, str(README), "exec"), namespace)


def test_python_snippets_import_wfengine_names_from_wfengine_only() -> None:
    imported: set[str] = set()
    for node in _snippet_imports():
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            assert module == "wfengine" or module.split(".")[0] != "wfengine", (
                f"README line {node.lineno}: import from wfengine, not {module}"
            )
            if module == "wfengine":
                imported |= {alias.name for alias in node.names}
        else:
            for alias in node.names:
                assert not alias.name.startswith("wfengine."), (
                    f"README line {node.lineno}: import wfengine, not {alias.name}"
                )
    assert imported, "the README's snippets import nothing from wfengine"
    assert imported <= set(wfengine.__all__), sorted(imported - set(wfengine.__all__))


def test_prose_imports_only_from_wfengine() -> None:
    text = README.read_text(encoding="utf-8")
    assert not re.findall(r"from wfengine\.[\w.]+ import|import wfengine\.\w", text)


def test_api_names_the_prose_documents_are_importable_from_wfengine() -> None:
    text = README.read_text(encoding="utf-8")
    for name in PROSE_API_NAMES:
        assert re.search(rf"\b{name}\b", text), f"README no longer names {name}: update the list"
        assert name in wfengine.__all__
        assert getattr(wfengine, name) is not None


def test_dotted_names_in_the_readme_resolve_without_deprecation() -> None:
    text = README.read_text(encoding="utf-8")
    dotted = set(re.findall(r"(?<![\w/.:-])wfengine(?:\.\w+)+", text))
    assert dotted
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for name in sorted(dotted):
            parts = name.split(".")
            module, rest = parts, []
            while True:
                try:
                    found: object = importlib.import_module(".".join(module))
                    break
                except ModuleNotFoundError:
                    rest.insert(0, module.pop())
            for part in rest:
                assert hasattr(found, part), f"README names {name}, which does not exist"
                found = getattr(found, part)


def test_exactly_two_single_line_setup_commands_that_create_a_venv() -> None:
    setup = [b for b in _blocks("sh") if "python3 -m venv" in b]
    assert len(setup) == 2
    for command in setup:
        assert command.count("\n") == 1  # one copy-pasteable line
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -e ")


def test_ci_runs_the_readme_test_command() -> None:
    [tests_line] = [b for b in _blocks("sh") if "pytest" in b]
    pytest_part = tests_line.strip().rsplit(" && ", 1)[1]
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert pytest_part in ci


def test_examples_named_in_the_readme_exist() -> None:
    named = set(re.findall(r"examples/[\w.]+\.xpdl", README.read_text(encoding="utf-8")))
    assert named and all((REPO_ROOT / name).is_file() for name in named)
