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
import warnings as _warnings

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
    TimerSnapshot,
    TokenSnapshot,
    WayOn,
    WorkItemData,
    WorkItemSnapshot,
)
from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState
from wfengine.runtime.store import AuditEvent, Store
from wfengine.runtime.worker import Worker

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
