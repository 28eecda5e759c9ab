"""``--apps MODULE``: let a host module bind applications, and subscribe outbox handlers, for
a command-line run.

MODULE is a dotted module name (looked up on ``sys.path`` and, while it is imported, in the
current directory, as with ``python -m``) or the path of a ``.py`` file (which, while it is
imported, can import the modules beside it, as with ``python FILE.py``). The directory is taken
off ``sys.path`` again once MODULE is imported: left first on it, a ``sqlite3.py`` or
``json.py`` lying there would be imported instead of the real module by whatever the run
imports later. (A module that imports its own helpers lazily should import them at the top.)

It defines ``register(registry)``, ``subscribe(outbox)`` or both:

* ``register(registry)`` calls ``registry.register(app_id, func, retries=N,
  timeout=SECONDS)`` for each application it binds (scripts rely on these names) and may enable
  agent kinds for definitions with ``registry.allow_agent``;
* ``subscribe(outbox)`` is given an :class:`~wfengine.runtime.outbox.OutboxHandlers` and calls
  ``outbox.subscribe(handler, kinds=[...])`` for what the host wants to hear after each commit
  (``kinds`` of :class:`~wfengine.runtime.outbox.OutboxKind`; left out: every kind); it may set
  ``outbox.policy = OutboxPolicy(...)`` (retries, retention). Commands that deliver
  (``wfengine worker``, ``wfengine run``) use them; the others ignore the hook.

A module that cannot be imported, has neither function, or whose function raises is an
environment problem: exit status 2.

Installed plug-ins come first (:func:`bind_plugins`): the commands that run applications for
real (``wfengine run``, ``wfengine worker``) and ``wfengine validate --apps`` bind what every
entry point of the group ``wfengine.applications`` registers, then MODULE's bindings, so
``--apps`` replaces a plug-in's binding of the same application. Installing a package is how
an operator says "these applications are bound here", as the README promises; a worker that
needed an ``--apps`` module only to call ``registry.load_entry_points()`` would make the
entry-point group pointless on the command line. ``wfengine simulate`` binds no plug-in: its
unbound applications are the scenario's stand-ins, and a simulated day must not call real
services unless ``--apps`` asks for it. The environment variable
``WFENGINE_DISABLE_PLUGIN_AUTOLOAD`` (any value but empty or ``0``) turns the plug-ins off, for
when one that is installed fails. The Python API loads no plug-in by itself (constructing an
``Engine`` runs no third-party code): a host calls ``engine.applications.load_entry_points()``.
A plug-in binds the applications of many packages, so what it binds is never reported as
``application-undeclared`` (by ``validate --apps``, ``run`` or ``worker``); only MODULE's (and
code's) bindings are, while a use only a plug-in binds counts as bound.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import click

from wfengine.applications.registry import ENTRY_POINT_GROUP, ApplicationRegistry
from wfengine.cli.exit_status import ExitStatus
from wfengine.errors import ApplicationError

if TYPE_CHECKING:
    from wfengine.runtime.outbox import OutboxHandlers


#: set (to anything but "" or "0") to bind no installed plug-in (see the module notes)
NO_PLUGINS_ENVVAR = "WFENGINE_DISABLE_PLUGIN_AUTOLOAD"


class AppsModuleError(click.ClickException):
    """The ``--apps`` module (or an installed plug-in) cannot be imported or does not
    register: exit status 2."""

    exit_code = ExitStatus.USAGE_OR_IO


def bind_plugins(registry: ApplicationRegistry | None = None) -> ApplicationRegistry:
    """Bind in ``registry`` (default: a new one) what the installed plug-ins (entry points of
    the group ``wfengine.applications``) register, unless :data:`NO_PLUGINS_ENVVAR` says not
    to; returns the registry. A plug-in that fails to load or register is exit status 2
    naming it and how to run without."""
    registry = registry if registry is not None else ApplicationRegistry()
    if os.environ.get(NO_PLUGINS_ENVVAR, "") not in ("", "0"):
        return registry
    try:
        registry.load_entry_points()
    except ApplicationError as exc:
        raise AppsModuleError(
            f"installed plug-in: {exc} (uninstall or fix it; {NO_PLUGINS_ENVVAR}=1 runs "
            f"without the {ENTRY_POINT_GROUP} plug-ins)"
        ) from exc
    return registry


def load_apps(
    module: str,
    registry: ApplicationRegistry | None = None,
    outbox: OutboxHandlers | None = None,
) -> ApplicationRegistry:
    """Import ``module`` and call its ``register(registry)`` and, when ``outbox`` is given,
    its ``subscribe(outbox)`` (see the module notes); returns the registry."""
    registry = registry if registry is not None else ApplicationRegistry()
    loaded = _import(module)
    register = getattr(loaded, "register", None)
    subscribe = getattr(loaded, "subscribe", None)
    if not callable(register) and not callable(subscribe):
        raise AppsModuleError(
            f"--apps {module}: the module has no register(registry) (nor subscribe(outbox)) "
            "function"
        )
    if callable(register):
        _call(module, "register(registry)", register, registry)
    if callable(subscribe) and outbox is not None:
        _call(module, "subscribe(outbox)", subscribe, outbox)
    return registry


def _call(module: str, what: str, hook: Callable[[Any], object], argument: Any) -> None:
    try:
        hook(argument)
    except Exception as exc:
        raise AppsModuleError(
            f"--apps {module}: {what} failed: {type(exc).__name__}: {exc}"
        ) from exc


def _import(module: str) -> ModuleType:
    try:
        if module.endswith(".py"):
            return _import_file(Path(module))
        _refuse_other_file(module)
        return _import_from_cwd(module)
    except AppsModuleError:
        raise
    except Exception as exc:  # ImportError, or whatever the module raises while importing
        raise AppsModuleError(
            f"--apps {module}: cannot import it: {type(exc).__name__}: {exc}"
        ) from exc


def _refuse_other_file(module: str) -> None:
    """Raise :class:`AppsModuleError` when ``module``, not ending in ``.py``, names a file or
    a path: it is no module name.

    Why before importing: ``settings.yaml`` read as a dotted name imported ``settings.py``
    from the current directory (running its code), then failed with "'settings' is not a
    package", naming neither the mistake nor the fix.
    """
    separators = {os.sep, "/"} | ({os.altsep} if os.altsep else set())
    if Path(module).is_file():
        what = "a file, but not a .py file"
    elif any(sep in module for sep in separators):
        what = "a path, but not to a .py file"
    else:
        return
    raise AppsModuleError(f"--apps {module}: {what}; name a .py file or a dotted module name")


def _import_from_cwd(module: str) -> ModuleType:
    """Import ``module`` with the current directory first on ``sys.path`` for the import
    only (see the module notes)."""
    with _first_on_path(os.getcwd()):
        return importlib.import_module(module)


def _import_file(path: Path) -> ModuleType:
    """Import the file ``path`` with its directory first on ``sys.path`` for the import only.
    Why its directory: a ``myapps.py`` doing ``import helpers`` (a module beside it) failed
    with ModuleNotFoundError, even run from that directory, where ``--apps myapps`` worked."""
    if not path.is_file():
        raise AppsModuleError(f"--apps {path}: no such file")
    name = f"wfengine_apps_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise AppsModuleError(f"--apps {path}: cannot load it as a Python module")
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[name] = loaded
    with _first_on_path(str(path.resolve().parent)):
        spec.loader.exec_module(loaded)
    return loaded


@contextmanager
def _first_on_path(directory: str) -> Iterator[None]:
    """``directory`` first on ``sys.path`` inside the block, unless it is on it already, and
    taken off again after (see the module notes)."""
    added = directory not in sys.path
    if added:
        sys.path.insert(0, directory)
    try:
        yield
    finally:
        if added and directory in sys.path:
            sys.path.remove(directory)
