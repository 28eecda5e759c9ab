"""The public API: what ``wfengine`` exports, what ``wfengine.runtime`` keeps to itself, and
the old import paths that still work.

A host imports everything from ``wfengine`` (README and the examples show it); ``__all__`` is
the list of what that is, so it must be exactly what the module offers, each name documented.
``wfengine.runtime.__all__`` is the enactment service's share of it, without the plumbing of
a command's commit. (README's own snippets are checked in ``tests/cli/test_readme.py``.)
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
import types
import warnings
from typing import Any

import pytest

import wfengine
import wfengine.runtime
from tests.conftest import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"

#: exported names whose objects have no docstring of their own yet (a dataclass's generated
#: signature does not count), by the module that owes it. These modules are not part of the
#: public-API change; remove a name once its docstring is written (a test below says when).
DOCSTRINGS_OWED: set[str] = set()

#: what one command commits, and the records behind it: never the runtime's public API
COMMIT_INTERNALS = {
    "ActivityInstance",
    "Change",
    "CompiledProcess",
    "Incident",
    "Job",
    "Navigator",
    "OutboxEntry",
    "ProcessInstance",
    "Step",
    "Timer",
    "Unit",
    "WorkItem",
}

#: names ``wfengine.runtime`` exported before this API was settled: each still imports from
#: there, with a warning, as the object it always was
RUNTIME_DEPRECATED = {
    "ApplicationError": "wfengine.errors",
    "ApplicationRegistry": "wfengine.applications.registry",
    "ConcurrencyError": "wfengine.errors",
    "DataNotStorableError": "wfengine.errors",
    "DeployError": "wfengine.errors",
    "IllegalStateError": "wfengine.errors",
    "NotFoundError": "wfengine.errors",
    "OutboxEntry": "wfengine.runtime.store",
    "SchemaOutdatedError": "wfengine.errors",
    "Step": "wfengine.runtime.store",
    "StoreError": "wfengine.errors",
    "StoreUnavailableError": "wfengine.errors",
}


def _isort_order(names: list[str]) -> list[str]:
    """``names`` in the order ruff's RUF022 keeps ``__all__``: SCREAMING_CASE, CamelCase, rest."""

    def key(name: str) -> tuple[int, str]:
        if name.isupper() and len(name) > 1:
            return 0, name
        if name[:1].isupper():
            return 1, name
        return 2, name

    return sorted(names, key=key)


def _public_attributes(module: types.ModuleType) -> set[str]:
    """What ``module`` offers under a public name, its submodules left out."""
    return {
        name
        for name in dir(module)
        if not name.startswith("_") and not isinstance(getattr(module, name), types.ModuleType)
    }


def _own_docstring(obj: Any) -> str:
    """The docstring ``obj`` was written with ('' for none, or a dataclass's generated one)."""
    doc = obj.__doc__ if isinstance(obj, type) else inspect.getdoc(obj)
    if not doc or (isinstance(obj, type) and doc.startswith(f"{obj.__name__}(")):
        return ""
    return str(doc)


# -- wfengine ---------------------------------------------------------------------------------


def test_all_is_sorted_without_repeats() -> None:
    assert wfengine.__all__ == _isort_order(wfengine.__all__)
    assert len(set(wfengine.__all__)) == len(wfengine.__all__)


def test_all_is_exactly_what_wfengine_offers() -> None:
    public = {name for name in wfengine.__all__ if not name.startswith("_")}
    assert _public_attributes(wfengine) == public
    namespace: dict[str, Any] = {}
    exec("from wfengine import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(wfengine.__all__)


def test_every_exported_name_is_documented() -> None:
    missing = sorted(
        name
        for name in wfengine.__all__
        if not name.startswith("_")
        and name not in DOCSTRINGS_OWED
        and not _own_docstring(getattr(wfengine, name))
    )
    assert not missing, f"exported without a docstring: {missing}"


def test_owed_docstrings_are_still_owed() -> None:
    # a docstring written since: take the name off DOCSTRINGS_OWED, so the list only shrinks
    written = sorted(n for n in DOCSTRINGS_OWED if _own_docstring(getattr(wfengine, n)))
    assert not written, f"documented now, remove from DOCSTRINGS_OWED: {written}"
    assert set(wfengine.__all__) >= DOCSTRINGS_OWED


def test_runtime_exports_are_exported_by_wfengine_as_the_same_objects() -> None:
    for name in wfengine.runtime.__all__:
        assert name in wfengine.__all__, name
        assert getattr(wfengine, name) is getattr(wfengine.runtime, name), name


def test_the_audit_catalogue_is_exported() -> None:
    from wfengine.runtime.history import PAYLOADS

    assert wfengine.EventKind.INSTANCE_CREATED == "instance.created"
    for payload in PAYLOADS.values():
        assert getattr(wfengine, payload.__name__) is payload


def test_errors_are_exported() -> None:
    import wfengine.errors

    errors = {
        name
        for name, obj in vars(wfengine.errors).items()
        if isinstance(obj, type)
        and issubclass(obj, wfengine.WorkflowError)
        and obj.__module__ == "wfengine.errors"
    }
    assert errors <= set(wfengine.__all__), sorted(errors - set(wfengine.__all__))


def test_import_wfengine_leaves_the_tool_agents_until_used() -> None:
    # the agents bring in httpx: a host or a command-line run that binds none does not pay
    code = (
        "import sys, wfengine\n"
        "assert 'httpx' not in sys.modules\n"
        "from wfengine import http_agent, HttpClientError\n"
        "assert 'httpx' in sys.modules\n"
        "from wfengine.applications.agents import http_agent as home\n"
        "assert http_agent is home\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Navigator'"):
        _ = wfengine.Navigator  # type: ignore[attr-defined]
    with pytest.raises(ImportError):
        exec("from wfengine import Step", {})


# -- wfengine.runtime -------------------------------------------------------------------------


def test_the_lazy_public_names_show_in_dir_before_their_first_use() -> None:
    """``dir(wfengine.runtime)`` listed a public name only once something had touched it, so
    the test below passed or failed by which tests ran before it in its process."""
    code = (
        "import wfengine.runtime as r\n"
        "missing = set(r.__all__) - set(dir(r))\n"
        "assert not missing, missing\n"
        "import wfengine as w\n"
        "assert not set(w.__all__) - set(dir(w))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_runtime_all_is_sorted_and_exactly_what_it_offers() -> None:
    names = wfengine.runtime.__all__
    assert names == _isort_order(names)
    assert _public_attributes(wfengine.runtime) == set(names)


def test_runtime_exports_no_commit_internals() -> None:
    assert not COMMIT_INTERNALS & set(wfengine.runtime.__all__)


def test_runtime_exports_only_what_the_runtime_holds() -> None:
    # errors live in wfengine.errors, the application registry in wfengine.applications
    for name in wfengine.runtime.__all__:
        assert getattr(wfengine.runtime, name).__module__.startswith("wfengine.runtime."), name


@pytest.mark.parametrize("name", sorted(RUNTIME_DEPRECATED))
def test_old_runtime_paths_warn_but_work(name: str) -> None:
    home = importlib.import_module(RUNTIME_DEPRECATED[name])
    with pytest.warns(DeprecationWarning, match=rf"wfengine\.runtime\.{name} is no longer"):
        namespace: dict[str, Any] = {}
        exec(f"from wfengine.runtime import {name}", namespace)
    assert namespace[name] is getattr(home, name)
    with pytest.warns(DeprecationWarning):
        assert getattr(wfengine.runtime, name) is getattr(home, name)
    assert name not in wfengine.runtime.__all__


def test_old_runtime_paths_blame_the_importing_line() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from wfengine.runtime import Step  # noqa: F401
    [warning] = caught
    assert warning.filename == __file__


def test_the_deprecated_application_module_still_works() -> None:
    with pytest.warns(DeprecationWarning, match="moved to wfengine.applications"):
        from wfengine.runtime.applications import ApplicationRegistry
    assert ApplicationRegistry is wfengine.ApplicationRegistry


# -- the examples -----------------------------------------------------------------------------


def _wfengine_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of every import of wfengine or a module below it."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if re.match(r"wfengine\b", a.name)]
        elif isinstance(node, ast.ImportFrom) and re.match(r"wfengine\b", node.module or ""):
            found.append((node.lineno, node.module or ""))
    return found


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_examples_import_from_wfengine_only(path: Any) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = _wfengine_imports(tree)
    assert imports, f"{path.name} does not use wfengine"
    wrong = [f"{path.name}:{line}: {module}" for line, module in imports if module != "wfengine"]
    assert not wrong, f"examples import from wfengine only: {wrong}"
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "wfengine"
        for alias in node.names
    }
    assert names <= set(wfengine.__all__)


def test_a_text_where_a_list_is_due_is_refused_when_the_object_is_built() -> None:
    """A str is a Sequence[str], so type checkers pass it; used as a list it would offer the
    work to 'a', 'l', 'i', 'c', 'e', run the program '/', or keep only one-letter keys."""
    import pytest

    from wfengine import StaticDirectory, http_agent, subprocess_agent
    from wfengine.applications.agents.subprocesses import subprocess_agent_factory

    with pytest.raises(TypeError, match=r"members of 'clerk' must be a list.*\['alice'\]"):
        StaticDirectory({"clerk": "alice"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"argv must be a list.*\['/bin/true'\]"):
        subprocess_agent("/bin/true")
    with pytest.raises(TypeError, match=r"command 'ls' must be a list"):
        subprocess_agent_factory({"ls": "ls -l"})
    with pytest.raises(TypeError, match=r"outputs must be a list of answer keys"):
        http_agent("https://example.org/api", outputs="total")
    assert StaticDirectory({"clerk": ["alice"]}).members("clerk") == ("alice",)


def test_a_version_or_a_data_type_of_the_wrong_kind_is_refused_where_it_is_given() -> None:
    """``start_process(version="1")`` said there was no version 'p v1' among versions 1..1;
    ``data_field("x", 5)`` put 5 into the frozen model, and validation later failed inside."""
    import pytest

    from wfengine import BuildError, Engine, PackageBuilder

    pb = PackageBuilder("pkg")
    p = pb.process("p")
    with pytest.raises(BuildError, match=r"a data type is .* not 5"):
        p.data_field("x", 5)  # type: ignore[arg-type]
    p.activity("a")
    engine = Engine()
    engine.deploy(pb.build())
    with pytest.raises(TypeError, match=r"version of 'p': a whole number .* not '1'"):
        engine.start_process("p", version="1")  # type: ignore[arg-type]
    assert engine.instance(engine.start_process("p", version=1)).state.value == "closed.completed"


#: what README used to send hosts to a module path for: each is importable from ``wfengine``
#: now, as the very object the old path still gives
DOCUMENTED_PATHS = {
    "connect": "wfengine.wapi",
    "Session": "wfengine.wapi",
    "SessionEndedError": "wfengine.wapi",
    "WorkList": "wfengine.wapi",
    "SqlStore": "wfengine.runtime.sql.store",
    "subscribe": "wfengine.worklist.notifiers",
    "notifier": "wfengine.worklist.notifiers",
    "notes_for": "wfengine.worklist.notes",
    "unique_ids": "wfengine.definition.unique_ids",
    "process_metrics": "wfengine.audit.metrics",
}


@pytest.mark.parametrize("name", sorted(DOCUMENTED_PATHS))
def test_documented_module_paths_are_also_top_level_names(name: str) -> None:
    assert name in wfengine.__all__
    old = getattr(importlib.import_module(DOCUMENTED_PATHS[name]), name)
    assert getattr(wfengine, name) is old


def test_readme_sends_hosts_to_no_internal_module_but_the_plots() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(wfengine(?:\.[a-z_]+)+)\.[A-Za-z_]+\(", readme))
    assert named <= {"wfengine.audit.plots"}, named


def test_a_host_directorys_types_are_exported() -> None:
    # README: a directory's user(user_id) gives "the person with their addresses, a
    # wfengine.Person: an OrgUser, or a host's own person object"; OrgUser was importable
    # from wfengine.worklist.org_model only, and the notifiers' Person protocol not at all
    from wfengine.worklist.notification import Person
    from wfengine.worklist.org_model import OrgUser

    assert wfengine.OrgUser is OrgUser
    assert wfengine.Person is Person
    assert {"Directory", "OrgUser", "Person"} <= set(wfengine.__all__)
