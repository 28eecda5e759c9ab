"""Checks of what a host passes to ``Engine(...)`` and ``Engine.from_url(...)``, made before
anything is opened.

Why: an argument of the wrong kind was taken as it came and failed late, far from the
mistake: ``Engine("sqlite:///x.db")`` (a URL where the store goes) with ``AttributeError:
'str' object has no attribute 'id_generator'``, ``Engine(clock="utc")`` with ``... no
attribute 'now'``, and ``Engine(limits={...})``, ``Engine(ids=5)`` or
``Engine(applications={})`` not until the first command, with a bare ``AttributeError`` from
inside it. A ``TypeError`` naming the argument and what to pass says what to change. They
are the host's programming mistakes, so ``TypeError`` (as
:mod:`wfengine.runtime.host_arguments` says for commands).
"""

from __future__ import annotations

import os
from datetime import date

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.model import Package
from wfengine.runtime.host_arguments import check_flag, described
from wfengine.runtime.limits import RuntimeLimits
from wfengine.runtime.outbox import OutboxHandlers, OutboxPolicy
from wfengine.runtime.store import OPTIONAL_METHODS, Store

#: what a store must have for the engine to use it: every method of the ``Store`` protocol,
#: read from the protocol itself so the check cannot fall behind it. Why: the check once
#: named four methods only, so a host's store made before the engine called
#: ``deployed_versions`` or ``first_due_after`` was taken and failed mid-command (a signal
#: broadcast, a virtual clock's run) with a bare ``AttributeError``. A host's wrapper may
#: still forward them (``__getattr__``): only what the store answers counts.
_STORE_METHODS = tuple(
    name
    for name, value in vars(Store).items()
    if callable(value) and not name.startswith("_") and name not in OPTIONAL_METHODS
)


def check_engine_arguments(
    *,
    store: object = None,
    clock: object = None,
    ids: object = None,
    applications: object = None,
    db_url: object = None,
    limits: object = None,
    outbox_handlers: object = None,
    defer_automatic: object = False,
) -> None:
    """Raise ``TypeError`` naming the first of ``Engine``'s arguments that is of the wrong
    kind (None passes: the engine's default; ``defer_automatic`` is True or False, never
    text whose truth would defer). The directory is checked where it is adapted
    (:func:`wfengine.runtime.directory.adapt_directory`). Both a store and a ``db_url``:
    ``ValueError``."""
    check_flag(defer_automatic, "defer_automatic", "Engine")
    for name, value in (("store", store), ("clock", clock), ("ids", ids)):
        if isinstance(value, type):  # the class itself passes the method checks below
            raise TypeError(
                f"Engine: {name} is an object, not the class {value.__name__}: pass "
                f"{value.__name__}() (an instance)"
            )
    if store is not None:
        _check_store(store)
        if db_url is not None:
            raise ValueError("Engine: pass either a store or a db_url, not both")
    if db_url is not None and not isinstance(db_url, str):
        raise TypeError(
            f"Engine: db_url is a database URL string (sqlite:///path/to/file.db), "
            f"not {described(db_url)}"
        )
    if isinstance(clock, date):  # (its now() is the class's: today's time, not this one)
        raise TypeError(
            f"Engine: clock is a Clock, an object whose now() gives the time, not the "
            f"{type(clock).__name__} {clock!r}: for an engine whose time stands at a moment "
            "until it is moved, pass VirtualClock(start=...) with that moment as a "
            "timezone-aware datetime; for the time of day, SystemClock() (the default)"
        )
    if clock is not None and not callable(getattr(clock, "now", None)):
        raise TypeError(
            "Engine: clock is a Clock, an object whose now() gives an aware datetime "
            f"(SystemClock(), VirtualClock()), not {described(clock)}"
        )
    if ids is not None and not callable(getattr(ids, "new", None)):
        raise TypeError(
            "Engine: ids is an IdGenerator, an object whose new(kind) gives a fresh id "
            f"(SequentialIds(), UuidIds()), not {described(ids)}"
        )
    _check_kind(applications, ApplicationRegistry, "applications", _APPLICATIONS_HINT)
    _check_kind(limits, RuntimeLimits, "limits", "RuntimeLimits(max_steps=50_000)")
    hint = "OutboxHandlers()"
    if isinstance(outbox_handlers, OutboxPolicy):
        hint = "OutboxHandlers(policy=...) carries a policy"
    _check_kind(outbox_handlers, OutboxHandlers, "outbox_handlers", hint)


def check_deploy_arguments(package: object, *, check_bindings: object, strict: object) -> None:
    """Raise ``TypeError`` when ``deploy`` is given something other than a ``Package`` (a
    path or XPDL text, which the host loads with ``load_xpdl`` first) or a flag
    other than True or False (``strict="no"`` refused the package as ``strict`` would)."""
    check_flag(check_bindings, "check_bindings", "deploy")
    check_flag(strict, "strict", "deploy")
    if not isinstance(package, Package):
        raise TypeError(
            "deploy: package must be a Package: load an XPDL file (a path or its bytes) "
            "with engine.deploy(load_xpdl(source)), or build one with "
            f"PackageBuilder(...).build(); not {described(package)}"
        )


_APPLICATIONS_HINT = "registry = ApplicationRegistry(); registry.register(app_id, function)"


def _check_store(store: object) -> None:
    if isinstance(store, str | bytes | os.PathLike):
        raise TypeError(
            f"Engine: store is a Store object, not {described(store)}: to open a database "
            "by its URL use Engine(db_url=...) or Engine.from_url(...) (the store is "
            "Engine's first positional argument)"
        )
    missing = [m for m in _STORE_METHODS if _lacks(store, m)]
    if missing:
        raise TypeError(
            f"Engine: store is a Store (MemoryStore(), SqlStore(url)), not {described(store)}, "
            f"which has no {', '.join(m + '()' for m in missing)}: the engine calls every "
            "method of the Store protocol (wfengine.runtime.store.Store)"
        )


def _lacks(store: object, name: str) -> bool:
    """Has ``store`` no method ``name`` of its own? A class that subclasses the protocol
    without writing the method has the protocol's stub, whose ``...`` answers None."""
    method = getattr(store, name, None)
    return not callable(method) or getattr(method, "__func__", None) is vars(Store)[name]


def _check_kind(value: object, kind: type, name: str, example: str) -> None:
    if value is not None and not isinstance(value, kind):
        raise TypeError(
            f"Engine: {name} is {_a(kind.__name__)} ({example}), not {described(value)}"
        )


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'AEIOU' else 'a'} {noun}"
