"""wfengine.runtime: the enactment service (instances, navigation, clock, store).

The names in ``__all__`` are the runtime's public API, and ``wfengine`` re-exports every one of
them: a host imports them from ``wfengine``. They are the command boundary (:class:`Engine`,
:class:`Worker`, :class:`RuntimeLimits`), the state models, the read-only snapshots the engine
hands out, and what a host may inject (clocks, id generators, a directory, a :class:`Store`
for a custom store; :class:`MemoryStore` is the default one). The audit catalogue is
:mod:`wfengine.runtime.history`; the SQL store is ``wfengine.runtime.sql.SqlStore`` (imported
on demand: ``Engine(db_url=...)`` builds one).

Everything else here (the navigator, the compiler, what one command commits, jobs and their
leases) is internal and may change. Names this package exported before and no longer does
still import, with a :class:`DeprecationWarning` naming where they live now.
"""

import importlib as _importlib
import sys as _sys
import typing as _typing
import warnings as _warnings

# imported on first use (PEP 562 ``__getattr__`` below): importing one runtime module (the
# clock, the limits) does not load the engine; type checkers see the real imports
if _typing.TYPE_CHECKING:
    from wfengine.runtime.clock import Clock, SystemClock, VirtualClock
    from wfengine.runtime.deployment import DeployedProcess
    from wfengine.runtime.directory import Directory, StaticDirectory
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.ids import IdGenerator, SequentialIds, UuidIds
    from wfengine.runtime.limits import RuntimeLimits
    from wfengine.runtime.memory_store import MemoryStore
    from wfengine.runtime.outbox import (
        OutboxHandlers,
        OutboxKind,
        OutboxPolicy,
        OutboxRecord,
        OutboxStatus,
    )
    from wfengine.runtime.snapshots import (
        ActivityInstanceSnapshot,
        DecisionSnapshot,
        IncidentSnapshot,
        InstanceSnapshot,
        InstanceSummary,
        JobSnapshot,
        KeptMessage,
        TimerSnapshot,
        TokenSnapshot,
        WayOn,
        WorkItemData,
        WorkItemSnapshot,
    )
    from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState
    from wfengine.runtime.store import AuditEvent, Store
    from wfengine.runtime.worker import Worker

#: each public name -> the module that holds it
_PUBLIC: dict[str, str] = {
    "ActivityInstanceSnapshot": "wfengine.runtime.snapshots",
    "ActivityState": "wfengine.runtime.states",
    "AuditEvent": "wfengine.runtime.store",
    "Clock": "wfengine.runtime.clock",
    "DecisionSnapshot": "wfengine.runtime.snapshots",
    "DeployedProcess": "wfengine.runtime.deployment",
    "Directory": "wfengine.runtime.directory",
    "Engine": "wfengine.runtime.engine",
    "IdGenerator": "wfengine.runtime.ids",
    "IncidentSnapshot": "wfengine.runtime.snapshots",
    "InstanceSnapshot": "wfengine.runtime.snapshots",
    "InstanceSummary": "wfengine.runtime.snapshots",
    "KeptMessage": "wfengine.runtime.snapshots",
    "JobSnapshot": "wfengine.runtime.snapshots",
    "MemoryStore": "wfengine.runtime.memory_store",
    "OutboxHandlers": "wfengine.runtime.outbox",
    "OutboxKind": "wfengine.runtime.outbox",
    "OutboxPolicy": "wfengine.runtime.outbox",
    "OutboxRecord": "wfengine.runtime.outbox",
    "OutboxStatus": "wfengine.runtime.outbox",
    "ProcessState": "wfengine.runtime.states",
    "RuntimeLimits": "wfengine.runtime.limits",
    "SequentialIds": "wfengine.runtime.ids",
    "StaticDirectory": "wfengine.runtime.directory",
    "Store": "wfengine.runtime.store",
    "SystemClock": "wfengine.runtime.clock",
    "TimerSnapshot": "wfengine.runtime.snapshots",
    "TokenSnapshot": "wfengine.runtime.snapshots",
    "UuidIds": "wfengine.runtime.ids",
    "VirtualClock": "wfengine.runtime.clock",
    "WayOn": "wfengine.runtime.snapshots",
    "WorkItemData": "wfengine.runtime.snapshots",
    "WorkItemSnapshot": "wfengine.runtime.snapshots",
    "WorkItemState": "wfengine.runtime.states",
    "Worker": "wfengine.runtime.worker",
}

__all__ = [
    "ActivityInstanceSnapshot",
    "ActivityState",
    "AuditEvent",
    "Clock",
    "DecisionSnapshot",
    "DeployedProcess",
    "Directory",
    "Engine",
    "IdGenerator",
    "IncidentSnapshot",
    "InstanceSnapshot",
    "InstanceSummary",
    "JobSnapshot",
    "KeptMessage",
    "MemoryStore",
    "OutboxHandlers",
    "OutboxKind",
    "OutboxPolicy",
    "OutboxRecord",
    "OutboxStatus",
    "ProcessState",
    "RuntimeLimits",
    "SequentialIds",
    "StaticDirectory",
    "Store",
    "SystemClock",
    "TimerSnapshot",
    "TokenSnapshot",
    "UuidIds",
    "VirtualClock",
    "WayOn",
    "WorkItemData",
    "WorkItemSnapshot",
    "WorkItemState",
    "Worker",
]

#: names this package exported before and no longer does: the module each lives in, and
#: where a host should import it from instead (None: internal, no public home)
_MOVED: dict[str, tuple[str, str | None]] = {
    # what one command commits: the engine's and the stores' plumbing
    "OutboxEntry": ("wfengine.runtime.store", None),
    "Step": ("wfengine.runtime.store", None),
    # Interface 3 has its own package
    "ApplicationRegistry": ("wfengine.applications.registry", "wfengine"),
    # the one exception hierarchy
    **{
        name: ("wfengine.errors", "wfengine")
        for name in (
            "ApplicationError",
            "ConcurrencyError",
            "DataNotStorableError",
            "DeployError",
            "IllegalStateError",
            "NotFoundError",
            "SchemaOutdatedError",
            "StoreError",
            "StoreUnavailableError",
        )
    },
}


def __getattr__(name: str) -> object:
    public = _PUBLIC.get(name)
    if public is not None:
        found: object = getattr(_importlib.import_module(public), name)
        globals()[name] = found
        return found
    moved = _MOVED.get(name)
    if moved is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, home = moved
    value: object = getattr(_importlib.import_module(module), name)
    if _sys._getframe(1).f_globals.get("__name__") == "importlib._bootstrap":
        # ``from wfengine.runtime import name`` asks twice (the import machinery, then the
        # importing line): warn once, blaming the importing line
        return value
    if home is None:
        advice = f"it is internal to the engine and its stores (it lives in {module})"
    else:
        advice = f"import it from {home}"
    _warnings.warn(
        f"{__name__}.{name} is no longer exported by {__name__}: {advice}",
        DeprecationWarning,
        stacklevel=2,
    )
    return value


def __dir__() -> list[str]:
    # the public names before their first use too (PEP 562): ``dir()`` and completion in an
    # interpreter show what the package offers, not only what was touched so far
    return sorted({*globals(), *_PUBLIC})
