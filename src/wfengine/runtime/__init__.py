"""wfengine.runtime: the enactment service (instances, navigation, clock, store).

The names below are the runtime's public API; ``wfengine`` re-exports them. The SQL store is
``wfengine.runtime.sql.SqlStore`` (imported on demand: ``Engine(db_url=...)`` builds one).
"""

from wfengine.applications.registry import ApplicationRegistry
from wfengine.errors import (
    ApplicationError,
    ConcurrencyError,
    DataNotStorableError,
    DeployError,
    IllegalStateError,
    NotFoundError,
    SchemaOutdatedError,
    StoreError,
    StoreUnavailableError,
)
from wfengine.runtime.clock import Clock, SystemClock, VirtualClock
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.directory import Directory, StaticDirectory
from wfengine.runtime.engine import Engine
from wfengine.runtime.ids import IdGenerator, SequentialIds, UuidIds
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.snapshots import (
    ActivityInstanceSnapshot,
    IncidentSnapshot,
    InstanceSnapshot,
    InstanceSummary,
    JobSnapshot,
    TimerSnapshot,
    TokenSnapshot,
    WorkItemSnapshot,
)
from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState
from wfengine.runtime.store import AuditEvent, OutboxEntry, Step, Store

__all__ = [
    "ActivityInstanceSnapshot",
    "ActivityState",
    "ApplicationError",
    "ApplicationRegistry",
    "AuditEvent",
    "Clock",
    "ConcurrencyError",
    "DataNotStorableError",
    "DeployError",
    "DeployedProcess",
    "Directory",
    "Engine",
    "IdGenerator",
    "IllegalStateError",
    "IncidentSnapshot",
    "InstanceSnapshot",
    "InstanceSummary",
    "JobSnapshot",
    "MemoryStore",
    "NotFoundError",
    "OutboxEntry",
    "ProcessState",
    "SchemaOutdatedError",
    "SequentialIds",
    "StaticDirectory",
    "Step",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "SystemClock",
    "TimerSnapshot",
    "TokenSnapshot",
    "UuidIds",
    "VirtualClock",
    "WorkItemSnapshot",
    "WorkItemState",
]
