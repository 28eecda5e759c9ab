"""How the example's modules load each other: each file of this directory once, under one
name (``crm_complaint_<file>``), the module already loaded handed back to every later caller.

Why: the example is plain files, not a package (it is the template users copy), so its
modules load each other by path. Each used to carry a loader of its own, under names of its
own (``crm_complaint_crm``, ``wfengine_demo_crm_crm``, ``crm_complaint_phone_key``, one of
them running the file again on every call), so one process could run ``crm.py``, and through
it ``schema.py``, ``phones.py`` and ``intake.py``, several times: several copies of its
classes (an ``isinstance`` across two copies fails) and of its module state.

This file is run, not imported (``runpy.run_path``: the one line each module starts with,
``sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]``),
because an import of it would itself need a loader. It keeps nothing of its own: what it
loaded is in ``sys.modules``, so every run of it is the same loader. A host loads the
example's modules the same way (``sibling("crm")``), as ``wfengine demo crm`` and the tests
do; a module loaded otherwise (``spec_from_file_location`` under a name of the host's) is a
copy of its own.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

#: the prefix of the names the example's modules are loaded under (``crm_complaint_crm``)
PREFIX = "crm_complaint_"
#: the example's directory (resolved: a symlinked checkout is the same example)
HERE = Path(__file__).resolve().parent


def sibling(name: str) -> ModuleType:
    """The example's module ``name`` (``NAME.py`` of this directory) as ``crm_complaint_NAME``:
    the one loaded already, else loaded now. ``ValueError`` for a name that is no module name
    (a path, ``crm.py``); ``ImportError`` naming the file when it is missing, or when a module
    of that name was loaded from another directory (another copy of the example in this
    process: handing back its module would run the other copy's code)."""
    if not name.isidentifier():
        raise ValueError(
            f"sibling({name!r}): name a module of {HERE} by its file name without .py ('crm')"
        )
    module_name, path = PREFIX + name, HERE / f"{name}.py"
    loaded = sys.modules.get(module_name)
    if loaded is not None:
        where = getattr(loaded, "__file__", None)
        if where is None or Path(where).resolve() != path:
            raise ImportError(
                f"sibling({name!r}): {module_name} is loaded from {where} already, not from "
                f"{path}: one process runs one copy of the example",
                name=module_name,
                path=str(path),
            )
        return loaded
    if not path.is_file():
        raise ImportError(
            f"sibling({name!r}): no {path}: the example has no module {name!r}",
            name=module_name,
            path=str(path),
        )
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None  # (a .py path always has one)
    module = importlib.util.module_from_spec(spec)
    # registered before it runs, as an import does: its dataclasses look their module up
    # there, and a module it loads that loads it back gets this one
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)  # as a failed import: no half-run module is handed out
        raise
    return module
